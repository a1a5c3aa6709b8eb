"""`earshot serve` under load on loopback: 20 renders at once each succeed (the same bytes as
`earshot render`) or are told to retry (503 with Retry-After); the server's memory stays bounded;
100 malformed requests (garbage, oversize, missing fields, ../ paths, bad listeners and levels,
truncated uploads, clients that stall mid-upload) each get a 4xx or are timed out, and the server
keeps serving. Prints the server's peak memory (VmHWM).
Usage: server_load_test.py EARSHOT_BINARY (ctest runs it; needs EARSHOT_CORPUS)."""
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time

from web_support import Server, corpus_file, multipart, post_form, request

earshot = sys.argv[1]
speech_path = corpus_file("speech/cmu_arctic_aew_a0001_M_en.wav")
speech = open(speech_path, "rb").read()
failures = []
CLIENT_TIMEOUT_S = 2
# Bound on the server's peak memory: 12 connection threads each holding at most one short upload
# (250 KB here) and its render. Measured 2026-12-01: about 30 MB (README, "earshot serve").
MAX_PEAK_RSS_MB = 200


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def raw(server, data, read_timeout=CLIENT_TIMEOUT_S * 3, close_write=True):
    """Sends bytes on a fresh connection; returns the status line's code, or None if the server
    closed the connection without one (a timeout or an unparseable request)."""
    s = socket.create_connection(("127.0.0.1", server.port), timeout=read_timeout)
    try:
        s.sendall(data)
        if close_write:
            s.shutdown(socket.SHUT_WR)
        got = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            got += chunk
            if b"\r\n\r\n" in got:
                break
        if not got.startswith(b"HTTP/1.1 "):
            return None
        return int(got[9:12])
    except (ConnectionResetError, BrokenPipeError):
        return None
    finally:
        s.close()


def stalled_upload(server, results):
    """Headers promising 200 kB, 1 kB of it, then silence: the server must drop us, not wait."""
    start = time.monotonic()
    s = socket.create_connection(("127.0.0.1", server.port), timeout=CLIENT_TIMEOUT_S * 10)
    try:
        s.sendall(b"POST /api/render HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                  b"Content-Length: 200000\r\n\r\n--b\r\n" + b"x" * 1000)
        got = s.recv(65536)  # waits for the server to answer or close
        code = int(got[9:12]) if got.startswith(b"HTTP/1.1 ") else None
    except (ConnectionResetError, socket.timeout):
        code = "stalled"  # the server neither answered nor closed
    finally:
        s.close()
    results.append((code, time.monotonic() - start))


server = Server(earshot, "--client-timeout", str(CLIENT_TIMEOUT_S))
try:
    # 20 renders at once.
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "cli.wav")
        subprocess.run([earshot, "render", speech_path, out, "-l", "N4", "--level", "65", "-q"], check=True, capture_output=True)
        cli = open(out, "rb").read()
    outcomes = []

    def one_render():
        status, headers, body = post_form(server, "/api/render", {"audio": ("speech.wav", speech), "listener": "N4", "level_db_spl": "65"},
                                          timeout=120)
        outcomes.append((status, headers.get("retry-after"), body == cli if status == 200 else json.loads(body)))

    threads = [threading.Thread(target=one_render) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ok = [o for o in outcomes if o[0] == 200]
    retry = [o for o in outcomes if o[0] == 503]
    check(len(outcomes) == 20 and len(ok) + len(retry) == 20, "20 renders at once: %d rendered, %d told to retry, %d other" %
          (len(ok), len(retry), 20 - len(ok) - len(retry)))
    check(len(ok) >= 2 and all(o[2] is True for o in ok), "every render that ran is byte for byte `earshot render`")
    check(all(o[1] and o[2].get("error") for o in retry), "every refusal says when to retry (Retry-After) and why")
    peak = server.peak_rss_mb()
    print("server peak memory (VmHWM) after 20 concurrent renders: %.1f MB" % peak)
    check(peak < MAX_PEAK_RSS_MB, "peak memory %.1f MB stays under %d MB" % (peak, MAX_PEAK_RSS_MB))

    # 100 malformed requests.
    good = {"audio": ("speech.wav", speech), "listener": "N3", "level_db_spl": "65"}
    bad_forms = [
        {"listener": "N3"},
        {"audio": ("speech.wav", speech)},
        {"audio": ("speech.wav", b""), "listener": "N3"},
        {"audio": ("../../etc/passwd", os.urandom(3000)), "listener": "N3"},
        {"audio": ("x.wav", b"RIFF\x00\x00\x00\x00WAVEfmt " + os.urandom(200)), "listener": "N3"},
        {"audio": ("speech.wav", speech), "listener": "../../etc/passwd"},
        {"audio": ("speech.wav", speech), "listener": "/etc/shadow#L0001"},
        {"audio": ("speech.wav", speech), "listener": "left=N3,right=../x.toml"},
        {"audio": ("speech.wav", speech), "listener": "N" * 5000},
        {"audio": ("speech.wav", speech), "listener": "250:20,1000:abc"},
        {"audio": ("speech.wav", speech), "listener": "age:500:male"},
        {"audio": ("speech.wav", speech), "listener": "ci:nonexistent"},
        {"audio": ("speech.wav", speech), "listener": "N3", "level_db_spl": "nan"},
        {"audio": ("speech.wav", speech), "listener": "N3", "level_db_spl": "1e999"},
        {"audio": ("speech.wav", speech), "listener": "N3", "level_db_spl": "-5"},
        {"audio": ("speech.wav", speech), "listener": "N3", "level_db_spl": "65", "calibration_db_spl": "100"},
    ]
    codes = []
    for i in range(len(bad_forms) * 3):  # 48 well-formed HTTP requests with bad content, to all three routes
        route = ["/api/render", "/api/score", "/api/report"][i % 3]
        codes.append(("form %d %s" % (i % len(bad_forms), route), post_form(server, route, bad_forms[i % len(bad_forms)])[0]))
    body, ctype = multipart(good)
    raw_requests = [
        ("garbage bytes", os.urandom(2000)),
        ("garbage line", b"\x00\xff\xfe not http at all\r\n\r\n"),
        ("a ../ path", b"GET /../../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n"),
        ("an encoded ../ path", b"GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n"),
        ("a sample id with ../", b"GET /api/samples/..%2f..%2fetc HTTP/1.1\r\nHost: x\r\n\r\n"),
        ("an unknown API", b"GET /api/secret HTTP/1.1\r\nHost: x\r\n\r\n"),
        ("a wrong method", b"DELETE /api/render HTTP/1.1\r\nHost: x\r\n\r\n"),
        ("oversize (Content-Length 150 MB)", b"POST /api/render HTTP/1.1\r\nHost: x\r\nContent-Type: " + ctype.encode() +
         b"\r\nContent-Length: 150000000\r\n\r\n" + body[:1000]),
        ("a truncated upload", b"POST /api/render HTTP/1.1\r\nHost: x\r\nContent-Type: " + ctype.encode() +
         b"\r\nContent-Length: %d\r\n\r\n" % len(body) + body[: len(body) // 2]),
        ("a multipart body with no boundary", b"POST /api/render HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data\r\n"
         b"Content-Length: 10\r\n\r\n0123456789"),
        ("a broken multipart body", b"POST /api/render HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=zz\r\n"
         b"Content-Length: 20\r\n\r\n--zz\r\nbroken\r\n\r\n--"),
        ("a huge header", b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 100000 + b"\r\n\r\n"),
        ("a negative Content-Length", b"POST /api/render HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n"),
        ("a chunked body that never ends", b"POST /api/render HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
         b"Content-Type: multipart/form-data; boundary=b\r\n\r\nffffff\r\nabc"),
    ]
    for i in range(100 - len(codes) - 10):
        name, data = raw_requests[i % len(raw_requests)]
        codes.append((name, raw(server, data)))
    # 10 clients that stall mid-upload, all at once: each is dropped after the client timeout.
    stalled = []
    stallers = [threading.Thread(target=stalled_upload, args=(server, stalled)) for _ in range(10)]
    for t in stallers:
        t.start()
    # The server answers others while they stall.
    status, _, _ = request(server, "GET", "/api/listeners", timeout=10)
    check(status == 200, "the server answers while 10 clients stall mid-upload")
    for t in stallers:
        t.join()
    codes += [("a stalled upload (%.1f s)" % secs, code) for code, secs in stalled]
    check(len(codes) == 100, "100 malformed requests sent")
    bad = [(name, code) for name, code in codes if not (code is None or 400 <= code < 500)]
    for name, code in bad:
        print("     %s -> %s" % (name, code))
    answered = sum(1 for _, c in codes if c is not None)
    check(not bad, "each of the 100 got a 4xx (%d) or was dropped after a timeout (%d)" % (answered, 100 - answered))
    print("     stalled uploads were dropped after %.1f...%.1f s (client timeout %d s)" %
          (min(s for _, s in stalled), max(s for _, s in stalled), CLIENT_TIMEOUT_S))

    # Still serving, and correctly.
    check(server.alive(), "the server is still running")
    status, _, body = post_form(server, "/api/render", {"audio": ("speech.wav", speech), "listener": "N4", "level_db_spl": "65"})
    check(status == 200 and body == cli, "a render after all that is still byte for byte `earshot render`")
    check(os.listdir(server.temp) == [], "no upload is left in the server's temporary folder")
    peak = server.peak_rss_mb()
    print("server peak memory (VmHWM) at the end: %.1f MB" % peak)
    check(peak < MAX_PEAK_RSS_MB, "peak memory %.1f MB stays under %d MB" % (peak, MAX_PEAK_RSS_MB))
finally:
    code = server.stop()
check(code == 0, "SIGTERM stops it cleanly")
print("%d failure(s)" % len(failures))
sys.exit(1 if failures else 0)
