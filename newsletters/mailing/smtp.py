"""Django's SMTP backend, keeping the server's answer to each message (a delivery records it)."""

import email.policy
import smtplib

from django.core.mail.backends.smtp import EmailBackend as DjangoSMTPBackend


class EmailBackend(DjangoSMTPBackend):
    def _send(self, email_message):
        if not email_message.recipients():
            return False
        sender = self.prep_address(email_message.from_email)
        recipients = [self.prep_address(address) for address in email_message.recipients()]
        data = email_message.message(policy=email.policy.SMTP).as_bytes()
        smtp = self.connection
        smtp.ehlo_or_helo_if_needed()
        code, answer = smtp.mail(sender)
        if code != 250:
            smtp.rset()
            raise smtplib.SMTPSenderRefused(code, answer, sender)
        refused = {}
        for recipient in recipients:
            code, answer = smtp.rcpt(recipient)
            if code not in (250, 251):
                refused[recipient] = (code, answer)
        if len(refused) == len(recipients):
            smtp.rset()
            raise smtplib.SMTPRecipientsRefused(refused)
        code, answer = smtp.data(data)
        if code != 250:
            smtp.rset()
            raise smtplib.SMTPDataError(code, answer)
        email_message.server_answer = f"{code} {answer.decode(errors='replace')}"
        return True
