"""python -m bench [options]: the benchmark (bench/README.md, options: bench/cli.py)."""
import sys

from bench import cli

if __name__ == "__main__":
    sys.exit(cli.main(cli.build_parser().parse_args()))
