"""`python -m mockhub` runs the same CLI as the `mockhub` console script, under the same name (so its help and
errors read alike)."""
from mockhub.cli import main

if __name__ == "__main__":
    main(prog_name="mockhub")
