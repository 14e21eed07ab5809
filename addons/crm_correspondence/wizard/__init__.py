from . import crm_correspondence_assign
