"""Posting statements to a learning-record store (xAPI 1.0.3 over HTTP with Basic auth).

A batch goes in one POST. If the LRS refuses the batch as a whole (400, 409, 413, 422), each statement
is sent alone with PUT ?statementId=, so one bad statement cannot hold back the rest. A statement id the
LRS already holds (204 or 409 for our own id) counts as delivered: resending is harmless."""

from dataclasses import dataclass, field

import requests

from .statements import VERSION

REFUSED_BATCH = {400, 409, 413, 422}
REFUSED_ONE = {400, 413, 422}  # the statement is wrong: sending it again will not help


@dataclass
class Outcome:
    delivered: list[str] = field(default_factory=list)  # statement ids
    refused: dict[str, str] = field(default_factory=dict)  # statement id -> why
    failed: dict[str, str] = field(default_factory=dict)  # statement id -> why (try again later)


class LRSClient:
    def __init__(self, endpoint: str, username: str, password: str, timeout: float):
        self.url = endpoint.rstrip("/") + "/statements"
        self.timeout = timeout
        self.http = requests.Session()
        self.http.auth = (username, password)
        self.http.headers.update({"X-Experience-API-Version": VERSION, "Content-Type": "application/json"})

    def close(self) -> None:
        self.http.close()

    def send(self, statements: list[dict]) -> Outcome:
        outcome = Outcome()
        ids = [s["id"] for s in statements]
        try:
            response = self.http.post(self.url, json=statements, timeout=self.timeout)
        except requests.RequestException as exc:
            outcome.failed = dict.fromkeys(ids, _unreachable(exc))
            return outcome
        if response.status_code in (200, 204):
            outcome.delivered = ids
        elif response.status_code in REFUSED_BATCH and len(statements) > 1:
            for statement in statements:
                self._put(statement, outcome)
        elif response.status_code in REFUSED_ONE:
            outcome.refused = dict.fromkeys(ids, _said(response))
        elif response.status_code == 409:  # one statement, and the LRS already has that id
            outcome.delivered = ids
        else:  # 401/403 (credentials), 429, 5xx: the LRS or its settings, not the statements
            outcome.failed = dict.fromkeys(ids, _said(response))
        return outcome

    def _put(self, statement: dict, outcome: Outcome) -> None:
        statement_id = statement["id"]
        try:
            response = self.http.put(
                self.url, params={"statementId": statement_id}, json=statement, timeout=self.timeout
            )
        except requests.RequestException as exc:
            outcome.failed[statement_id] = _unreachable(exc)
            return
        if response.status_code in (204, 409):
            outcome.delivered.append(statement_id)
        elif response.status_code in REFUSED_ONE:
            outcome.refused[statement_id] = _said(response)
        else:
            outcome.failed[statement_id] = _said(response)


def _said(response: requests.Response) -> str:
    return f"LRS answered {response.status_code} {response.reason}: {response.text[:300]}"


def _unreachable(exc: requests.RequestException) -> str:
    return f"LRS unreachable: {exc.__class__.__name__}"
