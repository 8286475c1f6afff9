"""Every demo resource, in load order."""

from registry.demo.catalogue_east import EAST
from registry.demo.catalogue_north import CENTRAL, PROVINCES
from registry.demo.catalogue_open import OPEN
from registry.demo.catalogue_south import GUANGDONG
from registry.demo.spec import Spec

# The open records come last: appending them leaves the earlier records' random draws (and so
# their dates) unchanged.
CATALOGUE: list[Spec] = GUANGDONG + EAST + PROVINCES + CENTRAL + OPEN
