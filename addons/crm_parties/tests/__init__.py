from . import test_aging
from . import test_aging_ui
from . import test_commercial_terms
from . import test_partner_structure
from . import test_satisfaction
from . import test_timeline
from . import test_ui
