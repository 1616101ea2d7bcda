"""`briefgen preview BRIEF`: a live page of the brief, rebuilt on every save.

A web page on 127.0.0.1 shows the brief's pages beside `check`'s findings; one warm
process (session) rebuilds it when a watched file is saved (watcher), renders the
pages (pages) and serves them (server, page). The pipeline is reached through
adapter only.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import threading
from pathlib import Path

from briefgen.errors import InputError, display_path

DEFAULT_PORT = 8765


def register_cli(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "preview", help="a live page of the brief's pages and findings, rebuilt on every save"
    )
    p.add_argument("brief", type=Path, help="the brief folder holding brief.yaml")
    p.add_argument("--port", type=int, default=DEFAULT_PORT,
                   help=f"the port on 127.0.0.1 (default {DEFAULT_PORT}; 0: any free port)")
    p.set_defaults(func=cmd_preview)


def cmd_preview(args: argparse.Namespace) -> int:
    from briefgen.app.preview.server import PreviewServer
    from briefgen.app.preview.session import Session
    from briefgen.app.preview.watcher import Watcher

    if not args.brief.is_dir():
        raise InputError("brief folder not found", display_path(args.brief),
                         hint="name a brief folder holding brief.yaml")
    out_dir = Path(tempfile.mkdtemp(prefix="briefgen-preview-"))
    stop = threading.Event()
    session = Session(args.brief, out_dir)
    try:
        server = PreviewServer(session, args.port)
    except BaseException:
        shutil.rmtree(out_dir, ignore_errors=True)
        raise
    watcher = Watcher(session.folders, session.request, stop)

    def build() -> None:
        watcher.start()
        session.run(on_built=watcher.follow)

    builder = threading.Thread(target=build, name="preview-builder", daemon=True)
    print(f"briefgen preview of {args.brief} at {server.url} (Ctrl-C to stop)", flush=True)
    builder.start()
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        print("briefgen preview: stopped", file=sys.stderr)
    finally:
        stop.set()
        session.stop()
        server.closing.set()
        server.server_close()
        shutil.rmtree(out_dir, ignore_errors=True)
    return 0
