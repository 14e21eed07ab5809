from . import test_offer_variants
from . import test_offer_currencies
from . import test_offer_words
