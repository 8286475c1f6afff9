"""Every demo resource, in load order."""

from registry.demo.catalogue_east import EAST
from registry.demo.catalogue_north import CENTRAL, PROVINCES
from registry.demo.catalogue_south import GUANGDONG
from registry.demo.spec import Spec

CATALOGUE: list[Spec] = GUANGDONG + EAST + PROVINCES + CENTRAL
