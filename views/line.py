"""LINE's webhook: a person links their account by sending the organisation's bot the code
shown to them. Public (LINE calls it), CSRF-exempt, and trusted only when LINE's signature
over the body checks out with the organisation's channel secret."""

from flask import Blueprint, abort, request

from extensions import csrf, db
from notifications.outbox import line

bp = Blueprint("line", __name__, url_prefix="/line")


@bp.route("/webhook/<int:org_id>", methods=["POST"])
@csrf.exempt
def webhook(org_id: int):
    signature = request.headers.get("X-Line-Signature", "")
    body = request.get_data(as_text=True)
    try:
        line.handle_webhook(org_id, body, signature)
    except line.NoChannel:
        abort(404)
    except line.InvalidSignatureError:
        abort(400, "ลายมือชื่อของ LINE ไม่ถูกต้อง")
    except line.BadWebhook:  # signed, yet not the JSON LINE sends
        abort(400, "ข้อมูลจาก LINE อ่านไม่ได้")
    except line.NotConfigured:
        abort(503)
    db.session.commit()
    return "OK"
