"""``python -m tests.fakegoogle --port PORT``: run the fake Google server standalone, empty."""

from tests.fakegoogle.server import main

main()
