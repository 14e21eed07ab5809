from . import test_contact_history
from . import test_employment
from . import test_identifiers
from . import test_name_days
from . import test_ui
