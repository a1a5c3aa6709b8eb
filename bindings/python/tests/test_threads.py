"""Two threads rendering at once give the same outputs as one after the other: the library holds
no shared mutable state and the GIL is released while it works. The speed-up is printed (run
pytest with -s to see it), never asserted: it depends on the machine's other load."""
import threading
import time

import numpy as np

import earshot
from conftest import speech


def test_two_threads_render_as_sequential_calls():
    x = speech(44100, seconds=2.0)
    jobs = [(x, "N3", {}), (0.5 * x, "left=ci:nucleus-ace,right=S2", {"jitter_ms": 0.25})]
    start = time.perf_counter()
    sequential = [earshot.render(s, 44100, who, **o) for s, who, o in jobs]
    sequential_s = time.perf_counter() - start

    results = [None, None]

    def work(i):
        s, who, o = jobs[i]
        results[i] = earshot.render(s, 44100, who, **o)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    parallel_s = time.perf_counter() - start
    for got, expected in zip(results, sequential):
        assert np.array_equal(got, expected)
    print(f"\ntwo renders: sequential {sequential_s:.2f} s, two threads {parallel_s:.2f} s, "
          f"speed-up {sequential_s / parallel_s:.2f}x")
