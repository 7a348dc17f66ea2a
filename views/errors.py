"""Error pages in Thai: a refused action explains itself, never shows a stack trace."""

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError

from extensions import db
from workflow.errors import WorkflowError

MESSAGES = {
    400: "คำขอไม่ถูกต้อง",
    401: "กรุณาเข้าสู่ระบบ",
    403: "คุณไม่มีสิทธิ์ทำรายการนี้",
    404: "ไม่พบหน้าที่ต้องการ",
    405: "ทำรายการนี้ด้วยวิธีนี้ไม่ได้",
    409: "ทำรายการนี้ไม่ได้ในสถานะปัจจุบันของเอกสาร",
    413: "ไฟล์หรือข้อมูลที่ส่งมีขนาดใหญ่เกินกำหนด",
    500: "ระบบขัดข้อง กรุณาลองใหม่อีกครั้ง หากยังพบปัญหาโปรดแจ้งผู้ดูแลระบบ",
}


def render_error(status: int, message: str | None = None):
    return render_template(
        "errors/error.html", status=status, message=message or MESSAGES.get(status, "")
    ), status


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(WorkflowError)
    def workflow_error(error: WorkflowError):
        db.session.rollback()
        return render_error(error.status, error.message)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return render_error(400, "แบบฟอร์มหมดอายุหรือไม่ได้ส่งมาจากหน้านี้ กรุณากลับไปเปิดหน้าเดิมแล้วลองอีกครั้ง")

    for status in (400, 401, 403, 404, 405, 413, 500):
        app.register_error_handler(status, _handler(status))


def _handler(status: int):
    def handle(error):
        if status == 500:
            db.session.rollback()
        description = getattr(error, "description", None)
        custom = (
            description if description and not description.startswith(("The ", "You ")) else None
        )
        if request.path.startswith("/static/"):
            return MESSAGES.get(status, ""), status
        return render_error(status, custom)

    return handle
