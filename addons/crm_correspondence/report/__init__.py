from . import crm_correspondence_report
