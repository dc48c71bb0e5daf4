"""A tiny HTTP client for the benchmark's set-up: keeps cookies, signs in through the real form,
reads CSRF tokens, and times streamed downloads (first byte, first data row, whole body)."""

import http.client
import re
import time
from http.cookies import SimpleCookie
from urllib.parse import urlencode

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class Browser:
    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    @property
    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, dict, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
        headers = {"Cookie": self.cookie_header}
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        self._keep_cookies(response)
        connection.close()
        return response.status, dict(response.getheaders()), data

    def _keep_cookies(self, response) -> None:
        for header in response.msg.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value

    def csrf_token(self, path: str) -> str:
        status, _headers, body = self.request("GET", path)
        assert status == 200, (path, status)
        return CSRF.search(body.decode()).group(1)

    def sign_in(self, email: str, password: str) -> None:
        token = self.csrf_token("/sign-in")
        status, headers, _ = self.request(
            "POST", "/sign-in", {"email": email, "password": password, "csrf_token": token}
        )
        assert status == 302 and "sign-in" not in headers.get("Location", ""), (email, status, headers)

    def download(self, path: str, data_row_after: int = 2) -> dict:
        """Seconds to the first byte, to the first data row (after the header line), and to the end."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
        start = time.perf_counter()
        connection.request("GET", path, headers={"Cookie": self.cookie_header})
        response = connection.getresponse()
        assert response.status == 200, (path, response.status)
        first_byte = first_row = None
        newlines, size = 0, 0
        while chunk := response.read1(65536):
            now = time.perf_counter() - start
            first_byte = first_byte if first_byte is not None else now
            if first_row is None:
                newlines += chunk.count(b"\n")
                if newlines >= data_row_after:
                    first_row = now
            size += len(chunk)
        connection.close()
        total = time.perf_counter() - start
        return {"first_byte": first_byte, "first_row": first_row, "total": total, "bytes": size}
