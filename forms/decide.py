"""The phone decision page's forms: a decision chosen (or a return) with its comment, then the
same again with `confirmed`, which alone lets the decision be signed."""

from wtforms import BooleanField, HiddenField, StringField, TextAreaField
from wtforms.validators import Length

from forms.common import strip
from forms.documents import StepForm
from workflow.documents import MAX_COMMENT_CHARS

DECIDE, RETURN = "decide", "return"
CONFIRMED = "yes"


class DecideForm(StepForm):
    action = HiddenField(default=DECIDE)  # "return" sends the memo back to its drafter
    decision = StringField("ความเห็น", filters=[strip])
    comment = TextAreaField(
        "ข้อความความเห็น (จำเป็นเมื่อส่งคืนแก้ไขหรือไม่อนุมัติ)",
        filters=[strip],
        validators=[
            Length(max=MAX_COMMENT_CHARS, message=f"ยาวได้ไม่เกิน {MAX_COMMENT_CHARS:,} ตัวอักษร")
        ],
    )
    resume_here = BooleanField("เมื่อแก้ไขแล้ว ให้ส่งกลับมาที่ขั้นนี้โดยตรง")
    confirmed = HiddenField()

    @property
    def returning(self) -> bool:
        return self.action.data == RETURN

    @property
    def reason(self):
        """The comment box is the return's reason: a refusal about `reason` goes beside it."""
        return self.comment

    def require_reason(self, rejecting: bool) -> None:
        """Label the comment as the required reason when returning or rejecting."""
        if self.returning or rejecting:
            self.comment.label.text = "เหตุผลที่ส่งคืนแก้ไข" if self.returning else "เหตุผลที่ไม่อนุมัติ"
            self.comment.flags.required = True
