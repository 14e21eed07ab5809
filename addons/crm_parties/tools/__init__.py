from . import code128
from . import domain
