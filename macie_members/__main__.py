"""``python -m macie_members``."""

from macie_members.entry import main

if __name__ == "__main__":
    main()
