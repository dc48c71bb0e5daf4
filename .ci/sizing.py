"""Sizing from the production smoke: request durations by endpoint from Gunicorn's JSON log lines,
and the memory of each process. Usage: sizing.py GUNICORN_LOG GUNICORN_PID"""

import json
import statistics
import subprocess
import sys


def main(log_path: str, master_pid: str) -> None:
    durations: dict[str, list[float]] = {}
    with open(log_path) as log:
        for line in log:
            if line.startswith("{") and '"message": "request"' in line:
                entry = json.loads(line)
                durations.setdefault(entry["endpoint"], []).append(entry["duration_ms"])
    everything = sorted(d for values in durations.values() for d in values)
    print(
        f"Sizing: {len(everything)} requests, median {statistics.median(everything):.0f} ms, "
        f"p95 {everything[int(len(everything) * 0.95) - 1]:.0f} ms"
    )
    for endpoint, values in sorted(durations.items(), key=lambda item: -len(item[1]))[:8]:
        values.sort()
        print(
            f"Sizing:   {endpoint}: {len(values)} requests, median {statistics.median(values):.0f} ms, max {values[-1]:.0f} ms"
        )
    workers = subprocess.run(["pgrep", "-P", master_pid], capture_output=True, text=True).stdout.split()
    rss = [
        int(subprocess.run(["ps", "-o", "rss=", "-p", pid], capture_output=True, text=True).stdout or 0)
        for pid in workers
    ]
    print(f"Sizing: Gunicorn workers' memory (RSS): {', '.join(f'{r // 1024} MB' for r in rss)}")


if __name__ == "__main__":
    main(*sys.argv[1:])
