from . import test_case_flow
from . import test_intake
from . import test_links_and_reports
from . import test_portal
from . import test_ui
from . import test_warranty
