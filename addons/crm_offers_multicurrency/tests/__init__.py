from . import test_offer_variants
from . import test_offer_currencies
from . import test_offer_words
from . import test_offer_profiles
from . import test_offer_access
from . import test_offer_portal
from . import test_offer_report
from . import test_offer_follow_up
