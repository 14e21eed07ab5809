import codecs
import email
import email.parser
import logging
import xmlrpc.client
from email.header import decode_header
from email.policy import SMTP, compat32

from markupsafe import Markup

from odoo import api, models
from odoo.tools import email_normalize, email_split, plaintext2html

_logger = logging.getLogger(__name__)

RECIPIENT_HEADERS = ("To", "Cc", "Delivered-To", "X-Original-To", "Resent-To")


def _header_text(message, name):
    """A header as text, whatever its encoding: unknown charsets and broken
    encoded words are read with replacement characters, never refused."""
    value = message.get(name)
    if value is None:
        return ""
    parts = []
    for chunk, charset in decode_header(str(value)):
        if isinstance(chunk, str):
            parts.append(chunk)
        else:
            parts.append(_decode(chunk, charset))
    return "".join(parts).strip()


def _decode(payload, charset):
    try:
        codecs.lookup(charset or "utf-8")
    except LookupError:
        charset = "utf-8"
    return payload.decode(charset or "utf-8", errors="replace")


def _read_leniently(raw):
    """Sender, subject, text and attachments of a message Odoo's parser
    refused, as far as they can be read."""
    message = email.message_from_bytes(raw, policy=compat32)
    texts, attachments = [], []
    for part in message.walk():
        if part.is_multipart():
            continue
        payload = part.get_payload(decode=True) or b""
        filename = part.get_filename()
        if filename or part.get_content_maintype() != "text":
            attachments.append((filename or "attachment", payload))
        else:
            texts.append(_decode(payload, part.get_content_charset()))
    return {
        "email_from": _header_text(message, "From"),
        "subject": _header_text(message, "Subject"),
        "body": plaintext2html("\n\n".join(texts)),
        "attachments": attachments,
    }


class MailThread(models.AbstractModel):
    """E-mail to a correspondence mailbox is never lost.

    Odoo's gateway drops a message it cannot parse (an unknown character
    set, a broken MIME structure) with a traceback in the mail server's
    log. For the aliases of ``crm.correspondence.mailbox`` such a message
    is still registered, with what could be read and the original attached;
    one above the mailbox's size limit is registered without its content and
    bounced to its sender with the reason.
    """

    _inherit = "mail.thread"

    @api.model
    def message_process(
        self,
        model,
        message,
        custom_values=None,
        save_original=False,
        strip_attachments=False,
        thread_id=None,
    ):
        if isinstance(message, xmlrpc.client.Binary):
            message = bytes(message.data)
        if isinstance(message, str):
            message = message.encode("utf-8")
        mailbox = self._crm_mailbox_for(message)
        if not mailbox:
            return super().message_process(
                model,
                message,
                custom_values=custom_values,
                save_original=save_original,
                strip_attachments=strip_attachments,
                thread_id=thread_id,
            )
        if len(message) > mailbox.max_size_mb * 1024 * 1024:
            return self._crm_register_oversized(mailbox, message)
        try:
            with self.env.cr.savepoint():
                return super().message_process(
                    model,
                    message,
                    custom_values=custom_values,
                    save_original=save_original or mailbox.keep_original,
                    strip_attachments=strip_attachments,
                    thread_id=thread_id,
                )
        except (LookupError, UnicodeError, ValueError, TypeError, IndexError) as error:
            _logger.info(
                "E-mail to mailbox %s could not be parsed (%s): registered as read",
                mailbox.name,
                error,
            )
            content = _read_leniently(message)
            issue = self.env._(
                "The e-mail could not be read completely (%(error)s); the "
                "original message is attached.",
                error=str(error),
            )
            return (
                self.env["crm.correspondence"]
                ._register_raw_email(mailbox, message, content, issue)
                .id
            )

    @api.model
    def _crm_mailbox_for(self, raw):
        """The correspondence mailbox a raw message is addressed to, if any."""
        headers = email.parser.BytesHeaderParser(policy=compat32).parsebytes(raw)
        addresses = {
            email_normalize(address)
            for name in RECIPIENT_HEADERS
            for address in email_split(_header_text(headers, name))
        } - {False, None}
        if not addresses:
            return self.env["crm.correspondence.mailbox"]
        return (
            self.env["crm.correspondence.mailbox"]
            .sudo()
            .search([("alias_id.alias_full_name", "in", list(addresses))], limit=1)
        )

    @api.model
    def _crm_register_oversized(self, mailbox, raw):
        headers = email.parser.BytesHeaderParser(policy=compat32).parsebytes(raw)
        size_mb = len(raw) / (1024 * 1024)
        issue = self.env._(
            "The e-mail (%(size).1f MB) exceeds the %(limit)s MB limit of "
            "mailbox %(mailbox)s: its content was not kept and the sender "
            "was told.",
            size=size_mb,
            limit=mailbox.max_size_mb,
            mailbox=mailbox.name,
        )
        content = {
            "email_from": _header_text(headers, "From"),
            "subject": _header_text(headers, "Subject"),
            "body": "",
            "attachments": [],
        }
        item = self.env["crm.correspondence"]._register_raw_email(
            mailbox, None, content, issue
        )
        sender = email_normalize(_header_text(headers, "Return-Path")) or (
            email_normalize(content["email_from"])
        )
        if sender:
            bounce = email.parser.BytesHeaderParser(policy=SMTP).parsebytes(raw)
            self._routing_create_bounce_email(
                sender,
                Markup("<p>%s</p>")
                % (
                    self.env._(
                        "Your e-mail (%(size).1f MB) was not accepted: mailbox "
                        "%(mailbox)s takes e-mails up to %(limit)s MB. It was "
                        "registered as %(number)s without its content; please "
                        "send the attachments separately or as a link.",
                        size=size_mb,
                        mailbox=mailbox.name,
                        limit=mailbox.max_size_mb,
                        number=item.name,
                    )
                ),
                bounce,
            )
        return item.id
