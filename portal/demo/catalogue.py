"""Every portal demo dataset, in load order."""

from portal.demo.catalogue_east import EAST
from portal.demo.catalogue_north import CENTRAL, PROVINCES
from portal.demo.catalogue_south import SOUTH
from portal.demo.spec import DatasetSpec

CATALOGUE: list[DatasetSpec] = SOUTH + EAST + PROVINCES + CENTRAL
