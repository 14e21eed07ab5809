from . import test_events
from . import test_api_input
from . import test_lookup
from . import test_access
from . import test_sip_e2e
from . import test_ami_bridge
from . import test_click_to_dial
from . import test_ui
