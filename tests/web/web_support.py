"""What the web tests share: an `earshot serve` on a free loopback port, and plain HTTP requests
(standard library only: http.client, so that a test controls exactly which bytes are sent)."""
import http.client
import os
import re
import signal
import subprocess
import sys
import time
import uuid

SKIP = 77  # ctest's SKIP_RETURN_CODE for these tests


def corpus_file(relative):
    corpus = os.environ.get("EARSHOT_CORPUS")
    if not corpus:
        print("EARSHOT_CORPUS is not set to shared/corpus: web test skipped")
        sys.exit(SKIP)
    return os.path.join(corpus, relative)


class Server:
    """`earshot serve --port 0`; reads the URL and temporary folder it prints."""

    def __init__(self, earshot, *extra):
        self.proc = subprocess.Popen([earshot, "serve", "--port", "0", *extra], stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        m = re.search(r"http://[^ ]+:(\d+)", line)  # 127.0.0.1, or the --host given
        if not m:
            self.proc.kill()
            raise RuntimeError("earshot serve did not print its URL: " + line + self.proc.stderr.read())
        self.port = int(m.group(1))
        self.url = "http://127.0.0.1:%d" % self.port
        m = re.search(r"live in (\S+)", self.proc.stdout.readline())
        self.temp = m.group(1) if m else None

    def peak_rss_mb(self):
        """The server's peak resident memory so far (VmHWM), MB."""
        with open("/proc/%d/status" % self.proc.pid) as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
        return float("nan")

    def alive(self):
        return self.proc.poll() is None

    def stop(self):
        if self.alive():
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                raise RuntimeError("earshot serve did not stop on SIGTERM")
        return self.proc.returncode


def multipart(fields):
    """fields: name -> str (a text field) or (filename, bytes) (a file). Returns (body, content type)."""
    boundary = "earshot-test-" + uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        if isinstance(value, tuple):
            filename, data = value
            head = 'Content-Disposition: form-data; name="%s"; filename="%s"\r\nContent-Type: application/octet-stream' % (name, filename)
        else:
            head, data = 'Content-Disposition: form-data; name="%s"' % name, value.encode()
        parts.append(b"--" + boundary.encode() + b"\r\n" + head.encode() + b"\r\n\r\n" + data + b"\r\n")
    body = b"".join(parts) + b"--" + boundary.encode() + b"--\r\n"
    return body, "multipart/form-data; boundary=" + boundary


def request(server, method, path, body=None, headers=None, timeout=60):
    """(status, headers dict with lower-case names, body bytes)."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        conn.close()


def post_form(server, path, fields, timeout=60):
    body, ctype = multipart(fields)
    return request(server, "POST", path, body, {"Content-Type": ctype}, timeout)


def wait_until(predicate, timeout_s=10.0):
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()
