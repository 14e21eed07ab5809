from . import test_offer_variants
