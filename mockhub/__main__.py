"""`python -m mockhub` runs the same CLI as the `mockhub` console script."""
from mockhub.cli import main

if __name__ == "__main__":
    main()
