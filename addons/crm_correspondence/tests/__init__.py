from . import test_access
from . import test_forwarding
from . import test_mail_intake
from . import test_registers
from . import test_reminders
from . import test_report
from . import test_segments
from . import test_ui
