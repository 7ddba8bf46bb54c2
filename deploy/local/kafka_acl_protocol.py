"""The two ACL requests deploy/local/kafka_acls.py needs, in their flexible versions (2-3):
aiokafka ships only versions 0-1, which Kafka 4 no longer accepts (KIP-896)."""

from __future__ import annotations

from aiokafka.protocol.api import Request, RequestStruct, Response
from aiokafka.protocol.types import (
    CompactArray,
    CompactString,
    Int8,
    Int16,
    Int32,
    Schema,
    TaggedFields,
)

ANY = 1  # the filter value matching every resource type, pattern, operation, permission


class CreateAclsResponseV2(Response):
    API_KEY = 30
    API_VERSION = 2
    SCHEMA = Schema(
        ("throttle_time_ms", Int32),
        (
            "results",
            CompactArray(
                ("error_code", Int16),
                ("error_message", CompactString("utf-8")),
                ("tags", TaggedFields),
            ),
        ),
        ("tags", TaggedFields),
    )


class CreateAclsResponseV3(CreateAclsResponseV2):
    API_VERSION = 3


class CreateAclsRequestV2(RequestStruct):
    FLEXIBLE_VERSION = True
    API_KEY = 30
    API_VERSION = 2
    RESPONSE_TYPE = CreateAclsResponseV2
    SCHEMA = Schema(
        (
            "creations",
            CompactArray(
                ("resource_type", Int8),
                ("resource_name", CompactString("utf-8")),
                ("resource_pattern_type", Int8),
                ("principal", CompactString("utf-8")),
                ("host", CompactString("utf-8")),
                ("operation", Int8),
                ("permission_type", Int8),
                ("tags", TaggedFields),
            ),
        ),
        ("tags", TaggedFields),
    )


class CreateAclsRequestV3(CreateAclsRequestV2):
    API_VERSION = 3
    RESPONSE_TYPE = CreateAclsResponseV3


class CreateAcls(Request[CreateAclsRequestV2 | CreateAclsRequestV3]):
    API_KEY = 30

    def __init__(self, rows: list[tuple[int, str, int, str, str, int, int, dict]]) -> None:
        self.rows = rows

    def build(
        self, request_struct_class: type[CreateAclsRequestV2 | CreateAclsRequestV3]
    ) -> CreateAclsRequestV2 | CreateAclsRequestV3:
        return request_struct_class(self.rows, {})


class DescribeAclsResponseV2(Response):
    API_KEY = 29
    API_VERSION = 2
    SCHEMA = Schema(
        ("throttle_time_ms", Int32),
        ("error_code", Int16),
        ("error_message", CompactString("utf-8")),
        (
            "resources",
            CompactArray(
                ("resource_type", Int8),
                ("resource_name", CompactString("utf-8")),
                ("pattern_type", Int8),
                (
                    "acls",
                    CompactArray(
                        ("principal", CompactString("utf-8")),
                        ("host", CompactString("utf-8")),
                        ("operation", Int8),
                        ("permission_type", Int8),
                        ("tags", TaggedFields),
                    ),
                ),
                ("tags", TaggedFields),
            ),
        ),
        ("tags", TaggedFields),
    )


class DescribeAclsResponseV3(DescribeAclsResponseV2):
    API_VERSION = 3


class DescribeAclsRequestV2(RequestStruct):
    FLEXIBLE_VERSION = True
    API_KEY = 29
    API_VERSION = 2
    RESPONSE_TYPE = DescribeAclsResponseV2
    SCHEMA = Schema(
        ("resource_type_filter", Int8),
        ("resource_name_filter", CompactString("utf-8")),
        ("pattern_type_filter", Int8),
        ("principal_filter", CompactString("utf-8")),
        ("host_filter", CompactString("utf-8")),
        ("operation", Int8),
        ("permission_type", Int8),
        ("tags", TaggedFields),
    )


class DescribeAclsRequestV3(DescribeAclsRequestV2):
    API_VERSION = 3
    RESPONSE_TYPE = DescribeAclsResponseV3


class DescribeAllAcls(Request[DescribeAclsRequestV2 | DescribeAclsRequestV3]):
    API_KEY = 29

    def build(
        self, request_struct_class: type[DescribeAclsRequestV2 | DescribeAclsRequestV3]
    ) -> DescribeAclsRequestV2 | DescribeAclsRequestV3:
        return request_struct_class(ANY, None, ANY, None, None, ANY, ANY, {})
