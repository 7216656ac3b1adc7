#!/usr/bin/env python
from stadga.cli import main

if __name__ == "__main__":
    main()
