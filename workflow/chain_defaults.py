"""The seed's chain as a template: section head, chief administrator, chief executive."""

from dataclasses import dataclass


@dataclass(frozen=True)
class StepTemplate:
    position_title: str
    heading: str
    forward: tuple[str, ...]
    reject: tuple[str, ...]
    phrases: tuple[str, ...]


def default_chain(org_name: str) -> list[StepTemplate]:
    """Approver steps of seed 000 for an organisation named e.g. 'องค์การบริหารส่วนตำบลศรีสุข'."""
    return [
        StepTemplate(
            "หัวหน้าสำนักปลัด",
            "ความเห็นหัวหน้าสำนักปลัด",
            ("เห็นควรเสนอเพื่อโปรดพิจารณา",),
            (),
            ("ได้ตรวจสอบแล้ว ถูกต้องตามระเบียบ", "เห็นควรเสนอปลัดเพื่อโปรดพิจารณา"),
        ),
        StepTemplate(
            f"ปลัด{org_name}",
            f"ความเห็นปลัด{org_name}",
            ("เห็นควรอนุมัติ", "เห็นชอบ"),
            (),
            ("เห็นควรอนุมัติตามเสนอ", "เห็นควรนำเสนอนายกเพื่อโปรดพิจารณาอนุมัติ"),
        ),
        StepTemplate(
            f"นายก{org_name}",
            f"ความเห็นของนายก{org_name}",
            ("อนุมัติ", "ทราบ"),
            ("ไม่อนุมัติ",),
            ("อนุมัติตามเสนอ", "ทราบ ดำเนินการตามเสนอ", "ให้ประชาสัมพันธ์บนเว็บไซต์หน่วยงาน"),
        ),
    ]
