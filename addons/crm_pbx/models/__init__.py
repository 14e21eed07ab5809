from . import crm_pbx
from . import crm_pbx_extension
from . import crm_pbx_queue
from . import crm_pbx_call
from . import crm_pbx_call_event
from . import crm_timeline_event
from . import res_partner
from . import res_users
