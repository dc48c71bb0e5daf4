"""IMS QTI 2.1 export: a content package (ZIP) with one choiceInteraction item per question and a manifest,
which Moodle (with a QTI importer), Canvas, Blackboard and most assessment tools can read."""

import io
import zipfile
from xml.etree import ElementTree as ET  # nosec B405 - we only write XML here, never parse untrusted input

QTI = "http://www.imsglobal.org/xsd/imsqti_v2p1"
CP = "http://www.imsglobal.org/xsd/imscp_v1p1"


def write_qti_package(bank: dict) -> bytes:
    """A bank (the YAML file's data) as a QTI 2.1 content package."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        files = []
        for q in bank["questions"]:
            name = f"{q['id']}.xml"
            package.writestr(name, _xml(_item(q)))
            files.append((q["id"], name))
        package.writestr("imsmanifest.xml", _xml(_manifest(bank["module"], files)))
    return buffer.getvalue()


def _item(q: dict) -> ET.Element:
    multiple = q["type"] == "multiple"
    item = ET.Element(
        "assessmentItem",
        {"xmlns": QTI, "identifier": q["id"], "title": q["id"], "adaptive": "false", "timeDependent": "false"},
    )
    declaration = ET.SubElement(
        item,
        "responseDeclaration",
        {"identifier": "RESPONSE", "cardinality": "multiple" if multiple else "single", "baseType": "identifier"},
    )
    correct = ET.SubElement(declaration, "correctResponse")
    for option in q["options"]:
        if option.get("correct"):
            ET.SubElement(correct, "value").text = option["id"]
    ET.SubElement(item, "outcomeDeclaration", {"identifier": "SCORE", "cardinality": "single", "baseType": "float"})
    ET.SubElement(
        item, "outcomeDeclaration", {"identifier": "FEEDBACK", "cardinality": "multiple", "baseType": "identifier"}
    )
    body = ET.SubElement(item, "itemBody")
    interaction = ET.SubElement(
        body,
        "choiceInteraction",
        {
            "responseIdentifier": "RESPONSE",
            "shuffle": "false" if q["type"] == "true_false" else "true",
            "maxChoices": "0" if multiple else "1",
        },
    )
    ET.SubElement(interaction, "prompt").text = q["prompt"]
    for option in q["options"]:
        ET.SubElement(interaction, "simpleChoice", {"identifier": option["id"]}).text = option["text"]
    ET.SubElement(
        item, "responseProcessing", {"template": "http://www.imsglobal.org/question/qti_v2p1/rptemplates/match_correct"}
    )
    for option in q["options"]:
        feedback = ET.SubElement(
            item, "modalFeedback", {"outcomeIdentifier": "FEEDBACK", "identifier": option["id"], "showHide": "show"}
        )
        feedback.text = option["feedback"]
    return item


def _manifest(module_id: str, files: list[tuple[str, str]]) -> ET.Element:
    manifest = ET.Element("manifest", {"xmlns": CP, "identifier": f"elearn-{module_id}"})
    ET.SubElement(manifest, "organizations")
    resources = ET.SubElement(manifest, "resources")
    for identifier, href in files:
        resource = ET.SubElement(
            resources, "resource", {"identifier": f"res-{identifier}", "type": "imsqti_item_xmlv2p1", "href": href}
        )
        ET.SubElement(resource, "file", {"href": href})
    return manifest


def _xml(element: ET.Element) -> bytes:
    ET.indent(element)
    return ET.tostring(element, encoding="utf-8", xml_declaration=True)
