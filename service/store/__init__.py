"""The one place that reads and writes the database.

Functions are keyword-only and take an open session; each one that writes commits before it
returns, so a response is only sent for what is durably stored. Rows become API schemas and
core records here and nowhere else; candidate retrieval is the only SQL that matching needs.
"""

from service.store.common import (
    RequestContext,
    audit,
    audit_now,
    decode_cursor,
    decode_position_cursor,
    encode_cursor,
    list_audit_events,
    new_id,
)
from service.store.keys import (
    IssuedKey,
    create_api_key,
    create_organisation,
    find_organisation,
    find_principal,
    list_api_keys,
    list_organisations,
    revoke_api_key,
    rotate_encrypted_values,
)
from service.store.records import (
    RecordBody,
    RecordOut,
    Registration,
    body_hash,
    count_records,
    erase_record,
    iter_organisation_records,
    list_records,
    new_external_ids,
    read_record,
    refuse_erased,
    register_new_records,
    register_record,
    replace_record,
    upsert_record,
    visible_record,
)

__all__ = [
    "IssuedKey",
    "RecordBody",
    "RecordOut",
    "Registration",
    "RequestContext",
    "audit",
    "audit_now",
    "body_hash",
    "count_records",
    "create_api_key",
    "create_organisation",
    "decode_cursor",
    "decode_position_cursor",
    "encode_cursor",
    "erase_record",
    "find_organisation",
    "find_principal",
    "iter_organisation_records",
    "list_api_keys",
    "list_audit_events",
    "list_organisations",
    "list_records",
    "new_external_ids",
    "new_id",
    "read_record",
    "refuse_erased",
    "register_new_records",
    "register_record",
    "replace_record",
    "revoke_api_key",
    "rotate_encrypted_values",
    "upsert_record",
    "visible_record",
]
