"""`python -m linkvet` runs the command line."""

from linkvet.cli import main

main()
