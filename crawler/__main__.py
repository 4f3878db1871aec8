"""`python -m crawler` runs the icp-audit command line."""

from crawler.cli import main

main()
