"""``python -m chargebus.cli.simulate``: the same as ``chargebus simulate``."""

import sys

from chargebus.cli.simulate.command import main

sys.exit(main())
