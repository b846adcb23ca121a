"""`python -m gworkspace_reviews` runs the CLI."""

from gworkspace_reviews.cli import main

main()
