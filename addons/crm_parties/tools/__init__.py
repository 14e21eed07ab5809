from . import code128
