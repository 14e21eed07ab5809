from . import test_events
from . import test_api_input
from . import test_lookup
from . import test_access
