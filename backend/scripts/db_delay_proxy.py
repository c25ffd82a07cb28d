"""BENCH ONLY: a TCP proxy that adds a fixed delay to each direction of the database link.

`npm run bench` runs it in front of the bench database to show what each round trip costs:
    python scripts/db_delay_proxy.py --listen-port P --target-host H --target-port Q --delay-ms 2
It serves on 127.0.0.1 until it is terminated (tests/tcp_proxy.py does the forwarding).
"""

import argparse
import signal
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.tcp_proxy import TcpProxy


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--listen-port", type=int, required=True)
    parser.add_argument("--target-host", default="127.0.0.1")
    parser.add_argument("--target-port", type=int, required=True)
    parser.add_argument("--delay-ms", type=float, required=True)
    args = parser.parse_args()
    if not 0 <= args.delay_ms <= 1000:
        parser.error("--delay-ms must be between 0 and 1000")
    proxy = TcpProxy(args.target_host, args.target_port, args.delay_ms / 1000, args.listen_port)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    print(f"delay proxy :{proxy.port} -> {args.target_host}:{args.target_port}", flush=True)
    stop.wait()
    proxy.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
