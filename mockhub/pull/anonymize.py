"""`--anonymize`: stable placeholders for people (the same person gets the same one everywhere) and for free
text (text answers, issue and comment content), with everything structural kept."""
import hashlib
import re

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
TEXT_TOOLS = ("text",)


class Anonymizer:
    def __init__(self):
        self.emails = {}

    def email(self, value):
        """The placeholder of one email address (case does not make another person)."""
        key = value.lower()
        if key not in self.emails:
            self.emails[key] = f"person-{len(self.emails) + 1}@anonymized.invalid"
        return self.emails[key]

    @staticmethod
    def text(value, kind="text"):
        digest = hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:10]
        return f"{kind} {digest}"

    def strings(self, value):
        """Replace every email address inside any string of a JSON value."""
        if isinstance(value, dict):
            return {key: self.strings(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.strings(item) for item in value]
        if isinstance(value, str) and "@" in value:
            return EMAIL.sub(lambda match: self.email(match.group(0)), value)
        return value


def _text_schema_ids(category_schema):
    found = set()

    def walk(items):
        for item in items or []:
            if item.get("tool") in TEXT_TOOLS:
                found.add(item.get("schemaId"))
            walk(item.get("classifications"))

    for key in ("tools", "classifications", "relations"):
        walk((category_schema or {}).get(key))
    return found


def _answers(classifications, text_ids, anonymizer):
    for item in classifications or []:
        if item.get("schemaId") in text_ids and isinstance(item.get("answer"), str):
            item["answer"] = anonymizer.text(item["answer"])
        _answers(item.get("classifications"), text_ids, anonymizer)


def _task(task, text_ids, anonymizer):
    for answer in [task["answer"]] + [h["answer"] for h in task["history"]]:
        _answers(answer["classifications"], text_ids, anonymizer)
        for tool in answer["tools"]:
            _answers(tool.get("classifications"), text_ids, anonymizer)
    for issue in task["issues"]:
        issue["content"] = anonymizer.text(issue["content"], "issue") if issue["content"] else ""
        for comment in issue["comments"]:
            comment["content"] = anonymizer.text(comment["content"], "comment")


def anonymize(document):
    """Return the fixture with people and free text replaced; ids, geometry and the workflow are kept."""
    anonymizer = Anonymizer()
    for org in document["organizations"]:
        for number, user in enumerate(org["users"], 1):
            anonymizer.email(user["email"])
            if "name" in user:
                user["name"] = f"Person {number}"
        for project in org["projects"]:
            text_ids = _text_schema_ids(project["categorySchema"])
            for asset in project["assets"]:
                _task(asset["task"], text_ids, anonymizer)
    return anonymizer.strings(document)
