"""Two parts of a build, each run alone, as yardsticks for the whole build on the same machine.

  parse  the data folder parsed into an in-memory Oxigraph store, as the build parses it; prints
         the seconds the parse took inside the process (without the interpreter's start and the
         store's release at exit, which the command's own wall time includes)
  store  the data folder written into a fresh on-disk store by Oxigraph's bulk loader, as the
         build writes the served store (the derived graph aside)

`python -m bench.build_parts parse DATA` or `python -m bench.build_parts store DATA FOLDER`;
bench/scale.py runs both beside each build and reports the build's time as a multiple of them.
"""

import argparse
import time
from pathlib import Path

from compass_graph.loader import data_files, load, read_turtle, source_files
from compass_graph.store import StoreWriter


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("part", choices=["parse", "store"])
    parser.add_argument("data", type=Path)
    parser.add_argument("folder", type=Path, nargs="?", help="where the store goes")
    args = parser.parse_args()
    if args.part == "parse":
        started = time.monotonic()
        parsed = load(args.data)
        print(f"{time.monotonic() - started:.3f}")
        del parsed
        return
    if args.folder is None:
        parser.error("store needs a folder to write the store to")
    with StoreWriter(args.folder) as writer:
        for source in source_files(data_files(args.data)):
            writer.load(read_turtle(source.path), source.graph_iri, source.base)
        writer.finish()


if __name__ == "__main__":
    main()
