"""OCPP 2.0.1 messages, generated from the OCA JSON schemas.

Do not edit: run libs/common/codegen/generate.py.  Field names are
Python's; each field's wire name is given explicitly.  Optional fields
default to UNSET and are left out of the encoded JSON, as J201 §4.1.6
asks ("leave unused optional fields out").
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from msgspec import UNSET, Meta, UnsetType, field

from chargebus.common.ocpp.types import (
    DateTime,
    Message,
    OpenMessage,
    check_multiple_of,
)

__all__ = [
    "ACChargingParametersType",
    "APNAuthenticationEnumType",
    "APNType",
    "AdditionalInfoType",
    "AttributeEnumType",
    "AuthorizationData",
    "AuthorizationStatusEnumType",
    "AuthorizeCertificateStatusEnumType",
    "AuthorizeRequest",
    "AuthorizeResponse",
    "BootNotificationRequest",
    "BootNotificationResponse",
    "BootReasonEnumType",
    "CancelReservationRequest",
    "CancelReservationResponse",
    "CancelReservationStatusEnumType",
    "CertificateActionEnumType",
    "CertificateHashDataChainType",
    "CertificateHashDataType",
    "CertificateSignedRequest",
    "CertificateSignedResponse",
    "CertificateSignedStatusEnumType",
    "CertificateSigningUseEnumType",
    "ChangeAvailabilityRequest",
    "ChangeAvailabilityResponse",
    "ChangeAvailabilityStatusEnumType",
    "ChargingLimitSourceEnumType",
    "ChargingLimitType",
    "ChargingNeedsType",
    "ChargingProfileCriterionType",
    "ChargingProfileKindEnumType",
    "ChargingProfilePurposeEnumType",
    "ChargingProfileStatusEnumType",
    "ChargingProfileType",
    "ChargingRateUnitEnumType",
    "ChargingSchedulePeriodType",
    "ChargingScheduleType",
    "ChargingStateEnumType",
    "ChargingStationType",
    "ClearCacheRequest",
    "ClearCacheResponse",
    "ClearCacheStatusEnumType",
    "ClearChargingProfileRequest",
    "ClearChargingProfileResponse",
    "ClearChargingProfileStatusEnumType",
    "ClearChargingProfileType",
    "ClearDisplayMessageRequest",
    "ClearDisplayMessageResponse",
    "ClearMessageStatusEnumType",
    "ClearMonitoringResultType",
    "ClearMonitoringStatusEnumType",
    "ClearVariableMonitoringRequest",
    "ClearVariableMonitoringResponse",
    "ClearedChargingLimitRequest",
    "ClearedChargingLimitResponse",
    "ComponentCriterionEnumType",
    "ComponentType",
    "ComponentVariableType",
    "CompositeScheduleType",
    "ConnectorEnumType",
    "ConnectorStatusEnumType",
    "ConsumptionCostType",
    "CostKindEnumType",
    "CostType",
    "CostUpdatedRequest",
    "CostUpdatedResponse",
    "CustomDataType",
    "CustomerInformationRequest",
    "CustomerInformationResponse",
    "CustomerInformationStatusEnumType",
    "DCChargingParametersType",
    "DataEnumType",
    "DataTransferRequest",
    "DataTransferResponse",
    "DataTransferStatusEnumType",
    "DeleteCertificateRequest",
    "DeleteCertificateResponse",
    "DeleteCertificateStatusEnumType",
    "DisplayMessageStatusEnumType",
    "EVSEType",
    "EnergyTransferModeEnumType",
    "EventDataType",
    "EventNotificationEnumType",
    "EventTriggerEnumType",
    "FirmwareStatusEnumType",
    "FirmwareStatusNotificationRequest",
    "FirmwareStatusNotificationResponse",
    "FirmwareType",
    "GenericDeviceModelStatusEnumType",
    "GenericStatusEnumType",
    "Get15118EVCertificateRequest",
    "Get15118EVCertificateResponse",
    "GetBaseReportRequest",
    "GetBaseReportResponse",
    "GetCertificateIdUseEnumType",
    "GetCertificateStatusEnumType",
    "GetCertificateStatusRequest",
    "GetCertificateStatusResponse",
    "GetChargingProfileStatusEnumType",
    "GetChargingProfilesRequest",
    "GetChargingProfilesResponse",
    "GetCompositeScheduleRequest",
    "GetCompositeScheduleResponse",
    "GetDisplayMessagesRequest",
    "GetDisplayMessagesResponse",
    "GetDisplayMessagesStatusEnumType",
    "GetInstalledCertificateIdsRequest",
    "GetInstalledCertificateIdsResponse",
    "GetInstalledCertificateStatusEnumType",
    "GetLocalListVersionRequest",
    "GetLocalListVersionResponse",
    "GetLogRequest",
    "GetLogResponse",
    "GetMonitoringReportRequest",
    "GetMonitoringReportResponse",
    "GetReportRequest",
    "GetReportResponse",
    "GetTransactionStatusRequest",
    "GetTransactionStatusResponse",
    "GetVariableDataType",
    "GetVariableResultType",
    "GetVariableStatusEnumType",
    "GetVariablesRequest",
    "GetVariablesResponse",
    "HashAlgorithmEnumType",
    "HeartbeatRequest",
    "HeartbeatResponse",
    "IdTokenEnumType",
    "IdTokenInfoType",
    "IdTokenType",
    "InstallCertificateRequest",
    "InstallCertificateResponse",
    "InstallCertificateStatusEnumType",
    "InstallCertificateUseEnumType",
    "Iso15118EVCertificateStatusEnumType",
    "LocationEnumType",
    "LogEnumType",
    "LogParametersType",
    "LogStatusEnumType",
    "LogStatusNotificationRequest",
    "LogStatusNotificationResponse",
    "MeasurandEnumType",
    "MessageContentType",
    "MessageFormatEnumType",
    "MessageInfoType",
    "MessagePriorityEnumType",
    "MessageStateEnumType",
    "MessageTriggerEnumType",
    "MeterValueType",
    "MeterValuesRequest",
    "MeterValuesResponse",
    "ModemType",
    "MonitorEnumType",
    "MonitoringBaseEnumType",
    "MonitoringCriterionEnumType",
    "MonitoringDataType",
    "MutabilityEnumType",
    "NetworkConnectionProfileType",
    "NotifyChargingLimitRequest",
    "NotifyChargingLimitResponse",
    "NotifyCustomerInformationRequest",
    "NotifyCustomerInformationResponse",
    "NotifyDisplayMessagesRequest",
    "NotifyDisplayMessagesResponse",
    "NotifyEVChargingNeedsRequest",
    "NotifyEVChargingNeedsResponse",
    "NotifyEVChargingNeedsStatusEnumType",
    "NotifyEVChargingScheduleRequest",
    "NotifyEVChargingScheduleResponse",
    "NotifyEventRequest",
    "NotifyEventResponse",
    "NotifyMonitoringReportRequest",
    "NotifyMonitoringReportResponse",
    "NotifyReportRequest",
    "NotifyReportResponse",
    "OCPPInterfaceEnumType",
    "OCPPTransportEnumType",
    "OCPPVersionEnumType",
    "OCSPRequestDataType",
    "OperationalStatusEnumType",
    "PhaseEnumType",
    "PublishFirmwareRequest",
    "PublishFirmwareResponse",
    "PublishFirmwareStatusEnumType",
    "PublishFirmwareStatusNotificationRequest",
    "PublishFirmwareStatusNotificationResponse",
    "ReadingContextEnumType",
    "ReasonEnumType",
    "RecurrencyKindEnumType",
    "RegistrationStatusEnumType",
    "RelativeTimeIntervalType",
    "ReportBaseEnumType",
    "ReportChargingProfilesRequest",
    "ReportChargingProfilesResponse",
    "ReportDataType",
    "RequestStartStopStatusEnumType",
    "RequestStartTransactionRequest",
    "RequestStartTransactionResponse",
    "RequestStopTransactionRequest",
    "RequestStopTransactionResponse",
    "ReservationStatusUpdateRequest",
    "ReservationStatusUpdateResponse",
    "ReservationUpdateStatusEnumType",
    "ReserveNowRequest",
    "ReserveNowResponse",
    "ReserveNowStatusEnumType",
    "ResetEnumType",
    "ResetRequest",
    "ResetResponse",
    "ResetStatusEnumType",
    "SalesTariffEntryType",
    "SalesTariffType",
    "SampledValueType",
    "SecurityEventNotificationRequest",
    "SecurityEventNotificationResponse",
    "SendLocalListRequest",
    "SendLocalListResponse",
    "SendLocalListStatusEnumType",
    "SetChargingProfileRequest",
    "SetChargingProfileResponse",
    "SetDisplayMessageRequest",
    "SetDisplayMessageResponse",
    "SetMonitoringBaseRequest",
    "SetMonitoringBaseResponse",
    "SetMonitoringDataType",
    "SetMonitoringLevelRequest",
    "SetMonitoringLevelResponse",
    "SetMonitoringResultType",
    "SetMonitoringStatusEnumType",
    "SetNetworkProfileRequest",
    "SetNetworkProfileResponse",
    "SetNetworkProfileStatusEnumType",
    "SetVariableDataType",
    "SetVariableMonitoringRequest",
    "SetVariableMonitoringResponse",
    "SetVariableResultType",
    "SetVariableStatusEnumType",
    "SetVariablesRequest",
    "SetVariablesResponse",
    "SignCertificateRequest",
    "SignCertificateResponse",
    "SignedMeterValueType",
    "StatusInfoType",
    "StatusNotificationRequest",
    "StatusNotificationResponse",
    "TransactionEventEnumType",
    "TransactionEventRequest",
    "TransactionEventResponse",
    "TransactionType",
    "TriggerMessageRequest",
    "TriggerMessageResponse",
    "TriggerMessageStatusEnumType",
    "TriggerReasonEnumType",
    "UnitOfMeasureType",
    "UnlockConnectorRequest",
    "UnlockConnectorResponse",
    "UnlockStatusEnumType",
    "UnpublishFirmwareRequest",
    "UnpublishFirmwareResponse",
    "UnpublishFirmwareStatusEnumType",
    "UpdateEnumType",
    "UpdateFirmwareRequest",
    "UpdateFirmwareResponse",
    "UpdateFirmwareStatusEnumType",
    "UploadLogStatusEnumType",
    "VPNEnumType",
    "VPNType",
    "VariableAttributeType",
    "VariableCharacteristicsType",
    "VariableMonitoringType",
    "VariableType",
]


class CustomDataType(OpenMessage):
    "This class does not get 'AdditionalProperties = false' in the schema generation, so it can be extended with arbitrary JSON properties to allow adding custom data."

    vendor_id: Annotated[str, Meta(max_length=255)] = field(name="vendorId")


class AdditionalInfoType(Message):
    "Contains a case insensitive identifier to use for the authorization and the type of authorization to support multiple forms of identifiers."

    additional_id_token: Annotated[str, Meta(max_length=36)] = field(name="additionalIdToken")
    type: Annotated[str, Meta(max_length=50)]
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


IdTokenEnumType = Literal["Central", "eMAID", "ISO14443", "ISO15693", "KeyCode", "Local", "MacAddress", "NoAuthorization"]


class IdTokenType(Message):
    "Contains a case insensitive identifier to use for the authorization and the type of authorization to support multiple forms of identifiers."

    id_token: Annotated[str, Meta(max_length=36)] = field(name="idToken")
    type: IdTokenEnumType
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    additional_info: Annotated[list[AdditionalInfoType], Meta(min_length=1)] | UnsetType = field(default=UNSET, name="additionalInfo")


HashAlgorithmEnumType = Literal["SHA256", "SHA384", "SHA512"]


class OCSPRequestDataType(Message):
    hash_algorithm: HashAlgorithmEnumType = field(name="hashAlgorithm")
    issuer_name_hash: Annotated[str, Meta(max_length=128)] = field(name="issuerNameHash")
    issuer_key_hash: Annotated[str, Meta(max_length=128)] = field(name="issuerKeyHash")
    serial_number: Annotated[str, Meta(max_length=40)] = field(name="serialNumber")
    responder_url: Annotated[str, Meta(max_length=512)] = field(name="responderURL")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class AuthorizeRequest(Message):
    id_token: IdTokenType = field(name="idToken")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    certificate: Annotated[str, Meta(max_length=5500)] | UnsetType = field(default=UNSET, name="certificate")
    iso15118_certificate_hash_data: Annotated[list[OCSPRequestDataType], Meta(min_length=1, max_length=4)] | UnsetType = field(default=UNSET, name="iso15118CertificateHashData")


AuthorizationStatusEnumType = Literal["Accepted", "Blocked", "ConcurrentTx", "Expired", "Invalid", "NoCredit", "NotAllowedTypeEVSE", "NotAtThisLocation", "NotAtThisTime", "Unknown"]


MessageFormatEnumType = Literal["ASCII", "HTML", "URI", "UTF8"]


class MessageContentType(Message):
    "Message_ Content urn:x-enexis:ecdm:uid:2:234490 Contains message details, for a message to be displayed on a Charging Station."

    format: MessageFormatEnumType
    content: Annotated[str, Meta(max_length=512)]
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    language: Annotated[str, Meta(max_length=8)] | UnsetType = field(default=UNSET, name="language")


class IdTokenInfoType(Message):
    "ID_ Token urn:x-oca:ocpp:uid:2:233247 Contains status information about an identifier. It is advised to not stop charging for a token that expires during charging, as ExpiryDate is only used for caching purposes. If ExpiryDate is not given, the status has no end date."

    status: AuthorizationStatusEnumType
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    cache_expiry_date_time: DateTime | UnsetType = field(default=UNSET, name="cacheExpiryDateTime")
    charging_priority: int | UnsetType = field(default=UNSET, name="chargingPriority")
    language1: Annotated[str, Meta(max_length=8)] | UnsetType = field(default=UNSET, name="language1")
    evse_id: Annotated[list[int], Meta(min_length=1)] | UnsetType = field(default=UNSET, name="evseId")
    group_id_token: IdTokenType | UnsetType = field(default=UNSET, name="groupIdToken")
    language2: Annotated[str, Meta(max_length=8)] | UnsetType = field(default=UNSET, name="language2")
    personal_message: MessageContentType | UnsetType = field(default=UNSET, name="personalMessage")


AuthorizeCertificateStatusEnumType = Literal["Accepted", "SignatureError", "CertificateExpired", "CertificateRevoked", "NoCertificateAvailable", "CertChainError", "ContractCancelled"]


class AuthorizeResponse(Message):
    id_token_info: IdTokenInfoType = field(name="idTokenInfo")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    certificate_status: AuthorizeCertificateStatusEnumType | UnsetType = field(default=UNSET, name="certificateStatus")


class ModemType(Message):
    "Wireless_ Communication_ Module urn:x-oca:ocpp:uid:2:233306 Defines parameters required for initiating and maintaining wireless communication with other devices."

    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    iccid: Annotated[str, Meta(max_length=20)] | UnsetType = field(default=UNSET, name="iccid")
    imsi: Annotated[str, Meta(max_length=20)] | UnsetType = field(default=UNSET, name="imsi")


class ChargingStationType(Message):
    "Charge_ Point urn:x-oca:ocpp:uid:2:233122 The physical system where an Electrical Vehicle (EV) can be charged."

    model: Annotated[str, Meta(max_length=20)]
    vendor_name: Annotated[str, Meta(max_length=50)] = field(name="vendorName")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    serial_number: Annotated[str, Meta(max_length=25)] | UnsetType = field(default=UNSET, name="serialNumber")
    modem: ModemType | UnsetType = field(default=UNSET, name="modem")
    firmware_version: Annotated[str, Meta(max_length=50)] | UnsetType = field(default=UNSET, name="firmwareVersion")


BootReasonEnumType = Literal["ApplicationReset", "FirmwareUpdate", "LocalReset", "PowerUp", "RemoteReset", "ScheduledReset", "Triggered", "Unknown", "Watchdog"]


class BootNotificationRequest(Message):
    charging_station: ChargingStationType = field(name="chargingStation")
    reason: BootReasonEnumType
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


RegistrationStatusEnumType = Literal["Accepted", "Pending", "Rejected"]


class StatusInfoType(Message):
    "Element providing more information about the status."

    reason_code: Annotated[str, Meta(max_length=20)] = field(name="reasonCode")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    additional_info: Annotated[str, Meta(max_length=512)] | UnsetType = field(default=UNSET, name="additionalInfo")


class BootNotificationResponse(Message):
    current_time: DateTime = field(name="currentTime")
    interval: int
    status: RegistrationStatusEnumType
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")


class CancelReservationRequest(Message):
    reservation_id: int = field(name="reservationId")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


CancelReservationStatusEnumType = Literal["Accepted", "Rejected"]


class CancelReservationResponse(Message):
    status: CancelReservationStatusEnumType
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")


CertificateSigningUseEnumType = Literal["ChargingStationCertificate", "V2GCertificate"]


class CertificateSignedRequest(Message):
    certificate_chain: Annotated[str, Meta(max_length=10000)] = field(name="certificateChain")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    certificate_type: CertificateSigningUseEnumType | UnsetType = field(default=UNSET, name="certificateType")


CertificateSignedStatusEnumType = Literal["Accepted", "Rejected"]


class CertificateSignedResponse(Message):
    status: CertificateSignedStatusEnumType
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")


class EVSEType(Message):
    "EVSE urn:x-oca:ocpp:uid:2:233123 Electric Vehicle Supply Equipment"

    id: int
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    connector_id: int | UnsetType = field(default=UNSET, name="connectorId")


OperationalStatusEnumType = Literal["Inoperative", "Operative"]


class ChangeAvailabilityRequest(Message):
    operational_status: OperationalStatusEnumType = field(name="operationalStatus")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    evse: EVSEType | UnsetType = field(default=UNSET, name="evse")


ChangeAvailabilityStatusEnumType = Literal["Accepted", "Rejected", "Scheduled"]


class ChangeAvailabilityResponse(Message):
    status: ChangeAvailabilityStatusEnumType
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")


class ClearCacheRequest(Message):
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


ClearCacheStatusEnumType = Literal["Accepted", "Rejected"]


class ClearCacheResponse(Message):
    status: ClearCacheStatusEnumType
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")


ChargingProfilePurposeEnumType = Literal["ChargingStationExternalConstraints", "ChargingStationMaxProfile", "TxDefaultProfile", "TxProfile"]


class ClearChargingProfileType(Message):
    "Charging_ Profile urn:x-oca:ocpp:uid:2:233255 A ChargingProfile consists of a ChargingSchedule, describing the amount of power or current that can be delivered per time interval."

    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    evse_id: int | UnsetType = field(default=UNSET, name="evseId")
    charging_profile_purpose: ChargingProfilePurposeEnumType | UnsetType = field(default=UNSET, name="chargingProfilePurpose")
    stack_level: int | UnsetType = field(default=UNSET, name="stackLevel")


class ClearChargingProfileRequest(Message):
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    charging_profile_id: int | UnsetType = field(default=UNSET, name="chargingProfileId")
    charging_profile_criteria: ClearChargingProfileType | UnsetType = field(default=UNSET, name="chargingProfileCriteria")


ClearChargingProfileStatusEnumType = Literal["Accepted", "Unknown"]


class ClearChargingProfileResponse(Message):
    status: ClearChargingProfileStatusEnumType
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")


class ClearDisplayMessageRequest(Message):
    id: int
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


ClearMessageStatusEnumType = Literal["Accepted", "Unknown"]


class ClearDisplayMessageResponse(Message):
    status: ClearMessageStatusEnumType
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")


class ClearVariableMonitoringRequest(Message):
    id: Annotated[list[int], Meta(min_length=1)]
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


ClearMonitoringStatusEnumType = Literal["Accepted", "Rejected", "NotFound"]


class ClearMonitoringResultType(Message):
    status: ClearMonitoringStatusEnumType
    id: int
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")


class ClearVariableMonitoringResponse(Message):
    clear_monitoring_result: Annotated[list[ClearMonitoringResultType], Meta(min_length=1)] = field(name="clearMonitoringResult")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


ChargingLimitSourceEnumType = Literal["EMS", "Other", "SO", "CSO"]


class ClearedChargingLimitRequest(Message):
    charging_limit_source: ChargingLimitSourceEnumType = field(name="chargingLimitSource")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    evse_id: int | UnsetType = field(default=UNSET, name="evseId")


class ClearedChargingLimitResponse(Message):
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class CostUpdatedRequest(Message):
    total_cost: float = field(name="totalCost")
    transaction_id: Annotated[str, Meta(max_length=36)] = field(name="transactionId")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class CostUpdatedResponse(Message):
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class CertificateHashDataType(Message):
    hash_algorithm: HashAlgorithmEnumType = field(name="hashAlgorithm")
    issuer_name_hash: Annotated[str, Meta(max_length=128)] = field(name="issuerNameHash")
    issuer_key_hash: Annotated[str, Meta(max_length=128)] = field(name="issuerKeyHash")
    serial_number: Annotated[str, Meta(max_length=40)] = field(name="serialNumber")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class CustomerInformationRequest(Message):
    request_id: int = field(name="requestId")
    report: bool
    clear: bool
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    customer_certificate: CertificateHashDataType | UnsetType = field(default=UNSET, name="customerCertificate")
    id_token: IdTokenType | UnsetType = field(default=UNSET, name="idToken")
    customer_identifier: Annotated[str, Meta(max_length=64)] | UnsetType = field(default=UNSET, name="customerIdentifier")


CustomerInformationStatusEnumType = Literal["Accepted", "Rejected", "Invalid"]


class CustomerInformationResponse(Message):
    status: CustomerInformationStatusEnumType
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")


class DataTransferRequest(Message):
    vendor_id: Annotated[str, Meta(max_length=255)] = field(name="vendorId")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    message_id: Annotated[str, Meta(max_length=50)] | UnsetType = field(default=UNSET, name="messageId")
    data: Any | UnsetType = field(default=UNSET, name="data")


DataTransferStatusEnumType = Literal["Accepted", "Rejected", "UnknownMessageId", "UnknownVendorId"]


class DataTransferResponse(Message):
    status: DataTransferStatusEnumType
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")
    data: Any | UnsetType = field(default=UNSET, name="data")


class DeleteCertificateRequest(Message):
    certificate_hash_data: CertificateHashDataType = field(name="certificateHashData")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


DeleteCertificateStatusEnumType = Literal["Accepted", "Failed", "NotFound"]


class DeleteCertificateResponse(Message):
    status: DeleteCertificateStatusEnumType
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")


FirmwareStatusEnumType = Literal["Downloaded", "DownloadFailed", "Downloading", "DownloadScheduled", "DownloadPaused", "Idle", "InstallationFailed", "Installing", "Installed", "InstallRebooting", "InstallScheduled", "InstallVerificationFailed", "InvalidSignature", "SignatureVerified"]


class FirmwareStatusNotificationRequest(Message):
    status: FirmwareStatusEnumType
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    request_id: int | UnsetType = field(default=UNSET, name="requestId")


class FirmwareStatusNotificationResponse(Message):
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


CertificateActionEnumType = Literal["Install", "Update"]


class Get15118EVCertificateRequest(Message):
    iso15118_schema_version: Annotated[str, Meta(max_length=50)] = field(name="iso15118SchemaVersion")
    action: CertificateActionEnumType
    exi_request: Annotated[str, Meta(max_length=5600)] = field(name="exiRequest")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


Iso15118EVCertificateStatusEnumType = Literal["Accepted", "Failed"]


class Get15118EVCertificateResponse(Message):
    status: Iso15118EVCertificateStatusEnumType
    exi_response: Annotated[str, Meta(max_length=7500)] = field(name="exiResponse")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")


ReportBaseEnumType = Literal["ConfigurationInventory", "FullInventory", "SummaryInventory"]


class GetBaseReportRequest(Message):
    request_id: int = field(name="requestId")
    report_base: ReportBaseEnumType = field(name="reportBase")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


GenericDeviceModelStatusEnumType = Literal["Accepted", "Rejected", "NotSupported", "EmptyResultSet"]


class GetBaseReportResponse(Message):
    status: GenericDeviceModelStatusEnumType
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")


class GetCertificateStatusRequest(Message):
    ocsp_request_data: OCSPRequestDataType = field(name="ocspRequestData")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


GetCertificateStatusEnumType = Literal["Accepted", "Failed"]


class GetCertificateStatusResponse(Message):
    status: GetCertificateStatusEnumType
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")
    ocsp_result: Annotated[str, Meta(max_length=5500)] | UnsetType = field(default=UNSET, name="ocspResult")


class ChargingProfileCriterionType(Message):
    "Charging_ Profile urn:x-oca:ocpp:uid:2:233255 A ChargingProfile consists of ChargingSchedule, describing the amount of power or current that can be delivered per time interval."

    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    charging_profile_purpose: ChargingProfilePurposeEnumType | UnsetType = field(default=UNSET, name="chargingProfilePurpose")
    stack_level: int | UnsetType = field(default=UNSET, name="stackLevel")
    charging_profile_id: Annotated[list[int], Meta(min_length=1)] | UnsetType = field(default=UNSET, name="chargingProfileId")
    charging_limit_source: Annotated[list[ChargingLimitSourceEnumType], Meta(min_length=1, max_length=4)] | UnsetType = field(default=UNSET, name="chargingLimitSource")


class GetChargingProfilesRequest(Message):
    request_id: int = field(name="requestId")
    charging_profile: ChargingProfileCriterionType = field(name="chargingProfile")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    evse_id: int | UnsetType = field(default=UNSET, name="evseId")


GetChargingProfileStatusEnumType = Literal["Accepted", "NoProfiles"]


class GetChargingProfilesResponse(Message):
    status: GetChargingProfileStatusEnumType
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")


ChargingRateUnitEnumType = Literal["W", "A"]


class GetCompositeScheduleRequest(Message):
    duration: int
    evse_id: int = field(name="evseId")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    charging_rate_unit: ChargingRateUnitEnumType | UnsetType = field(default=UNSET, name="chargingRateUnit")


GenericStatusEnumType = Literal["Accepted", "Rejected"]


class ChargingSchedulePeriodType(Message):
    "Charging_ Schedule_ Period urn:x-oca:ocpp:uid:2:233257 Charging schedule period structure defines a time period in a charging schedule."

    start_period: int = field(name="startPeriod")
    limit: float
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    number_phases: int | UnsetType = field(default=UNSET, name="numberPhases")
    phase_to_use: int | UnsetType = field(default=UNSET, name="phaseToUse")


class CompositeScheduleType(Message):
    "Composite_ Schedule urn:x-oca:ocpp:uid:2:233362"

    charging_schedule_period: Annotated[list[ChargingSchedulePeriodType], Meta(min_length=1)] = field(name="chargingSchedulePeriod")
    evse_id: int = field(name="evseId")
    duration: int
    schedule_start: DateTime = field(name="scheduleStart")
    charging_rate_unit: ChargingRateUnitEnumType = field(name="chargingRateUnit")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class GetCompositeScheduleResponse(Message):
    status: GenericStatusEnumType
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")
    schedule: CompositeScheduleType | UnsetType = field(default=UNSET, name="schedule")


MessagePriorityEnumType = Literal["AlwaysFront", "InFront", "NormalCycle"]


MessageStateEnumType = Literal["Charging", "Faulted", "Idle", "Unavailable"]


class GetDisplayMessagesRequest(Message):
    request_id: int = field(name="requestId")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    id: Annotated[list[int], Meta(min_length=1)] | UnsetType = field(default=UNSET, name="id")
    priority: MessagePriorityEnumType | UnsetType = field(default=UNSET, name="priority")
    state: MessageStateEnumType | UnsetType = field(default=UNSET, name="state")


GetDisplayMessagesStatusEnumType = Literal["Accepted", "Unknown"]


class GetDisplayMessagesResponse(Message):
    status: GetDisplayMessagesStatusEnumType
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")


GetCertificateIdUseEnumType = Literal["V2GRootCertificate", "MORootCertificate", "CSMSRootCertificate", "V2GCertificateChain", "ManufacturerRootCertificate"]


class GetInstalledCertificateIdsRequest(Message):
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    certificate_type: Annotated[list[GetCertificateIdUseEnumType], Meta(min_length=1)] | UnsetType = field(default=UNSET, name="certificateType")


GetInstalledCertificateStatusEnumType = Literal["Accepted", "NotFound"]


class CertificateHashDataChainType(Message):
    certificate_hash_data: CertificateHashDataType = field(name="certificateHashData")
    certificate_type: GetCertificateIdUseEnumType = field(name="certificateType")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    child_certificate_hash_data: Annotated[list[CertificateHashDataType], Meta(min_length=1, max_length=4)] | UnsetType = field(default=UNSET, name="childCertificateHashData")


class GetInstalledCertificateIdsResponse(Message):
    status: GetInstalledCertificateStatusEnumType
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")
    certificate_hash_data_chain: Annotated[list[CertificateHashDataChainType], Meta(min_length=1)] | UnsetType = field(default=UNSET, name="certificateHashDataChain")


class GetLocalListVersionRequest(Message):
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class GetLocalListVersionResponse(Message):
    version_number: int = field(name="versionNumber")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class LogParametersType(Message):
    "Log urn:x-enexis:ecdm:uid:2:233373 Generic class for the configuration of logging entries."

    remote_location: Annotated[str, Meta(max_length=512)] = field(name="remoteLocation")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    oldest_timestamp: DateTime | UnsetType = field(default=UNSET, name="oldestTimestamp")
    latest_timestamp: DateTime | UnsetType = field(default=UNSET, name="latestTimestamp")


LogEnumType = Literal["DiagnosticsLog", "SecurityLog"]


class GetLogRequest(Message):
    log: LogParametersType
    log_type: LogEnumType = field(name="logType")
    request_id: int = field(name="requestId")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    retries: int | UnsetType = field(default=UNSET, name="retries")
    retry_interval: int | UnsetType = field(default=UNSET, name="retryInterval")


LogStatusEnumType = Literal["Accepted", "Rejected", "AcceptedCanceled"]


class GetLogResponse(Message):
    status: LogStatusEnumType
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")
    filename: Annotated[str, Meta(max_length=255)] | UnsetType = field(default=UNSET, name="filename")


class ComponentType(Message):
    "A physical or logical component"

    name: Annotated[str, Meta(max_length=50)]
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    evse: EVSEType | UnsetType = field(default=UNSET, name="evse")
    instance: Annotated[str, Meta(max_length=50)] | UnsetType = field(default=UNSET, name="instance")


class VariableType(Message):
    "Reference key to a component-variable."

    name: Annotated[str, Meta(max_length=50)]
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    instance: Annotated[str, Meta(max_length=50)] | UnsetType = field(default=UNSET, name="instance")


class ComponentVariableType(Message):
    "Class to report components, variables and variable attributes and characteristics."

    component: ComponentType
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    variable: VariableType | UnsetType = field(default=UNSET, name="variable")


MonitoringCriterionEnumType = Literal["ThresholdMonitoring", "DeltaMonitoring", "PeriodicMonitoring"]


class GetMonitoringReportRequest(Message):
    request_id: int = field(name="requestId")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    component_variable: Annotated[list[ComponentVariableType], Meta(min_length=1)] | UnsetType = field(default=UNSET, name="componentVariable")
    monitoring_criteria: Annotated[list[MonitoringCriterionEnumType], Meta(min_length=1, max_length=3)] | UnsetType = field(default=UNSET, name="monitoringCriteria")


class GetMonitoringReportResponse(Message):
    status: GenericDeviceModelStatusEnumType
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")


ComponentCriterionEnumType = Literal["Active", "Available", "Enabled", "Problem"]


class GetReportRequest(Message):
    request_id: int = field(name="requestId")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    component_variable: Annotated[list[ComponentVariableType], Meta(min_length=1)] | UnsetType = field(default=UNSET, name="componentVariable")
    component_criteria: Annotated[list[ComponentCriterionEnumType], Meta(min_length=1, max_length=4)] | UnsetType = field(default=UNSET, name="componentCriteria")


class GetReportResponse(Message):
    status: GenericDeviceModelStatusEnumType
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")


class GetTransactionStatusRequest(Message):
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    transaction_id: Annotated[str, Meta(max_length=36)] | UnsetType = field(default=UNSET, name="transactionId")


class GetTransactionStatusResponse(Message):
    messages_in_queue: bool = field(name="messagesInQueue")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    ongoing_indicator: bool | UnsetType = field(default=UNSET, name="ongoingIndicator")


AttributeEnumType = Literal["Actual", "Target", "MinSet", "MaxSet"]


class GetVariableDataType(Message):
    "Class to hold parameters for GetVariables request."

    component: ComponentType
    variable: VariableType
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    attribute_type: AttributeEnumType | UnsetType = field(default=UNSET, name="attributeType")


class GetVariablesRequest(Message):
    get_variable_data: Annotated[list[GetVariableDataType], Meta(min_length=1)] = field(name="getVariableData")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


GetVariableStatusEnumType = Literal["Accepted", "Rejected", "UnknownComponent", "UnknownVariable", "NotSupportedAttributeType"]


class GetVariableResultType(Message):
    "Class to hold results of GetVariables request."

    attribute_status: GetVariableStatusEnumType = field(name="attributeStatus")
    component: ComponentType
    variable: VariableType
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    attribute_status_info: StatusInfoType | UnsetType = field(default=UNSET, name="attributeStatusInfo")
    attribute_type: AttributeEnumType | UnsetType = field(default=UNSET, name="attributeType")
    attribute_value: Annotated[str, Meta(max_length=2500)] | UnsetType = field(default=UNSET, name="attributeValue")


class GetVariablesResponse(Message):
    get_variable_result: Annotated[list[GetVariableResultType], Meta(min_length=1)] = field(name="getVariableResult")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class HeartbeatRequest(Message):
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class HeartbeatResponse(Message):
    current_time: DateTime = field(name="currentTime")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


InstallCertificateUseEnumType = Literal["V2GRootCertificate", "MORootCertificate", "CSMSRootCertificate", "ManufacturerRootCertificate"]


class InstallCertificateRequest(Message):
    certificate_type: InstallCertificateUseEnumType = field(name="certificateType")
    certificate: Annotated[str, Meta(max_length=5500)]
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


InstallCertificateStatusEnumType = Literal["Accepted", "Rejected", "Failed"]


class InstallCertificateResponse(Message):
    status: InstallCertificateStatusEnumType
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")


UploadLogStatusEnumType = Literal["BadMessage", "Idle", "NotSupportedOperation", "PermissionDenied", "Uploaded", "UploadFailure", "Uploading", "AcceptedCanceled"]


class LogStatusNotificationRequest(Message):
    status: UploadLogStatusEnumType
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    request_id: int | UnsetType = field(default=UNSET, name="requestId")


class LogStatusNotificationResponse(Message):
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


ReadingContextEnumType = Literal["Interruption.Begin", "Interruption.End", "Other", "Sample.Clock", "Sample.Periodic", "Transaction.Begin", "Transaction.End", "Trigger"]


MeasurandEnumType = Literal["Current.Export", "Current.Import", "Current.Offered", "Energy.Active.Export.Register", "Energy.Active.Import.Register", "Energy.Reactive.Export.Register", "Energy.Reactive.Import.Register", "Energy.Active.Export.Interval", "Energy.Active.Import.Interval", "Energy.Active.Net", "Energy.Reactive.Export.Interval", "Energy.Reactive.Import.Interval", "Energy.Reactive.Net", "Energy.Apparent.Net", "Energy.Apparent.Import", "Energy.Apparent.Export", "Frequency", "Power.Active.Export", "Power.Active.Import", "Power.Factor", "Power.Offered", "Power.Reactive.Export", "Power.Reactive.Import", "SoC", "Voltage"]


PhaseEnumType = Literal["L1", "L2", "L3", "N", "L1-N", "L2-N", "L3-N", "L1-L2", "L2-L3", "L3-L1"]


LocationEnumType = Literal["Body", "Cable", "EV", "Inlet", "Outlet"]


class SignedMeterValueType(Message):
    "Represent a signed version of the meter value."

    signed_meter_data: Annotated[str, Meta(max_length=2500)] = field(name="signedMeterData")
    signing_method: Annotated[str, Meta(max_length=50)] = field(name="signingMethod")
    encoding_method: Annotated[str, Meta(max_length=50)] = field(name="encodingMethod")
    public_key: Annotated[str, Meta(max_length=2500)] = field(name="publicKey")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class UnitOfMeasureType(Message):
    "Represents a UnitOfMeasure with a multiplier"

    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    unit: Annotated[str, Meta(max_length=20)] | UnsetType = field(default=UNSET, name="unit")
    multiplier: int | UnsetType = field(default=UNSET, name="multiplier")


class SampledValueType(Message):
    "Sampled_ Value urn:x-oca:ocpp:uid:2:233266 Single sampled value in MeterValues. Each value can be accompanied by optional fields.  To save on mobile data usage, default values of all of the optional fields are such that. The value without any additional fields will be interpreted, as a register read"

    value: float
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    context: ReadingContextEnumType | UnsetType = field(default=UNSET, name="context")
    measurand: MeasurandEnumType | UnsetType = field(default=UNSET, name="measurand")
    phase: PhaseEnumType | UnsetType = field(default=UNSET, name="phase")
    location: LocationEnumType | UnsetType = field(default=UNSET, name="location")
    signed_meter_value: SignedMeterValueType | UnsetType = field(default=UNSET, name="signedMeterValue")
    unit_of_measure: UnitOfMeasureType | UnsetType = field(default=UNSET, name="unitOfMeasure")


class MeterValueType(Message):
    "Meter_ Value urn:x-oca:ocpp:uid:2:233265 Collection of one or more sampled values in MeterValuesRequest and TransactionEvent. All sampled values in a MeterValue are sampled at the same point in time."

    sampled_value: Annotated[list[SampledValueType], Meta(min_length=1)] = field(name="sampledValue")
    timestamp: DateTime
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class MeterValuesRequest(Message):
    "Request_ Body urn:x-enexis:ecdm:uid:2:234744"

    evse_id: int = field(name="evseId")
    meter_value: Annotated[list[MeterValueType], Meta(min_length=1)] = field(name="meterValue")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class MeterValuesResponse(Message):
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class RelativeTimeIntervalType(Message):
    "Relative_ Timer_ Interval urn:x-oca:ocpp:uid:2:233270"

    start: int
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    duration: int | UnsetType = field(default=UNSET, name="duration")


CostKindEnumType = Literal["CarbonDioxideEmission", "RelativePricePercentage", "RenewableGenerationPercentage"]


class CostType(Message):
    "Cost urn:x-oca:ocpp:uid:2:233258"

    cost_kind: CostKindEnumType = field(name="costKind")
    amount: int
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    amount_multiplier: int | UnsetType = field(default=UNSET, name="amountMultiplier")


class ConsumptionCostType(Message):
    "Consumption_ Cost urn:x-oca:ocpp:uid:2:233259"

    start_value: float = field(name="startValue")
    cost: Annotated[list[CostType], Meta(min_length=1, max_length=3)]
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class SalesTariffEntryType(Message):
    "Sales_ Tariff_ Entry urn:x-oca:ocpp:uid:2:233271"

    relative_time_interval: RelativeTimeIntervalType = field(name="relativeTimeInterval")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    e_price_level: Annotated[int, Meta(ge=0)] | UnsetType = field(default=UNSET, name="ePriceLevel")
    consumption_cost: Annotated[list[ConsumptionCostType], Meta(min_length=1, max_length=3)] | UnsetType = field(default=UNSET, name="consumptionCost")


class SalesTariffType(Message):
    "Sales_ Tariff urn:x-oca:ocpp:uid:2:233272 NOTE: This dataType is based on dataTypes from &lt;&lt;ref-ISOIEC15118-2,ISO 15118-2&gt;&gt;."

    id: int
    sales_tariff_entry: Annotated[list[SalesTariffEntryType], Meta(min_length=1, max_length=1024)] = field(name="salesTariffEntry")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    sales_tariff_description: Annotated[str, Meta(max_length=32)] | UnsetType = field(default=UNSET, name="salesTariffDescription")
    num_e_price_levels: int | UnsetType = field(default=UNSET, name="numEPriceLevels")


class ChargingScheduleType(Message):
    "Charging_ Schedule urn:x-oca:ocpp:uid:2:233256 Charging schedule structure defines a list of charging periods, as used in: GetCompositeSchedule.conf and ChargingProfile."

    id: int
    charging_rate_unit: ChargingRateUnitEnumType = field(name="chargingRateUnit")
    charging_schedule_period: Annotated[list[ChargingSchedulePeriodType], Meta(min_length=1, max_length=1024)] = field(name="chargingSchedulePeriod")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    start_schedule: DateTime | UnsetType = field(default=UNSET, name="startSchedule")
    duration: int | UnsetType = field(default=UNSET, name="duration")
    min_charging_rate: float | UnsetType = field(default=UNSET, name="minChargingRate")
    sales_tariff: SalesTariffType | UnsetType = field(default=UNSET, name="salesTariff")


class ChargingLimitType(Message):
    "Charging_ Limit urn:x-enexis:ecdm:uid:2:234489"

    charging_limit_source: ChargingLimitSourceEnumType = field(name="chargingLimitSource")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    is_grid_critical: bool | UnsetType = field(default=UNSET, name="isGridCritical")


class NotifyChargingLimitRequest(Message):
    charging_limit: ChargingLimitType = field(name="chargingLimit")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    charging_schedule: Annotated[list[ChargingScheduleType], Meta(min_length=1)] | UnsetType = field(default=UNSET, name="chargingSchedule")
    evse_id: int | UnsetType = field(default=UNSET, name="evseId")


class NotifyChargingLimitResponse(Message):
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class NotifyCustomerInformationRequest(Message):
    data: Annotated[str, Meta(max_length=512)]
    seq_no: int = field(name="seqNo")
    generated_at: DateTime = field(name="generatedAt")
    request_id: int = field(name="requestId")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    tbc: bool | UnsetType = field(default=UNSET, name="tbc")


class NotifyCustomerInformationResponse(Message):
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class MessageInfoType(Message):
    "Message_ Info urn:x-enexis:ecdm:uid:2:233264 Contains message details, for a message to be displayed on a Charging Station."

    id: int
    priority: MessagePriorityEnumType
    message: MessageContentType
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    display: ComponentType | UnsetType = field(default=UNSET, name="display")
    state: MessageStateEnumType | UnsetType = field(default=UNSET, name="state")
    start_date_time: DateTime | UnsetType = field(default=UNSET, name="startDateTime")
    end_date_time: DateTime | UnsetType = field(default=UNSET, name="endDateTime")
    transaction_id: Annotated[str, Meta(max_length=36)] | UnsetType = field(default=UNSET, name="transactionId")


class NotifyDisplayMessagesRequest(Message):
    request_id: int = field(name="requestId")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    message_info: Annotated[list[MessageInfoType], Meta(min_length=1)] | UnsetType = field(default=UNSET, name="messageInfo")
    tbc: bool | UnsetType = field(default=UNSET, name="tbc")


class NotifyDisplayMessagesResponse(Message):
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class ACChargingParametersType(Message):
    "AC_ Charging_ Parameters urn:x-oca:ocpp:uid:2:233250 EV AC charging parameters."

    energy_amount: int = field(name="energyAmount")
    ev_min_current: int = field(name="evMinCurrent")
    ev_max_current: int = field(name="evMaxCurrent")
    ev_max_voltage: int = field(name="evMaxVoltage")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class DCChargingParametersType(Message):
    "DC_ Charging_ Parameters urn:x-oca:ocpp:uid:2:233251 EV DC charging parameters"

    ev_max_current: int = field(name="evMaxCurrent")
    ev_max_voltage: int = field(name="evMaxVoltage")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    energy_amount: int | UnsetType = field(default=UNSET, name="energyAmount")
    ev_max_power: int | UnsetType = field(default=UNSET, name="evMaxPower")
    state_of_charge: Annotated[int, Meta(ge=0, le=100)] | UnsetType = field(default=UNSET, name="stateOfCharge")
    ev_energy_capacity: int | UnsetType = field(default=UNSET, name="evEnergyCapacity")
    full_soc: Annotated[int, Meta(ge=0, le=100)] | UnsetType = field(default=UNSET, name="fullSoC")
    bulk_soc: Annotated[int, Meta(ge=0, le=100)] | UnsetType = field(default=UNSET, name="bulkSoC")


EnergyTransferModeEnumType = Literal["DC", "AC_single_phase", "AC_two_phase", "AC_three_phase"]


class ChargingNeedsType(Message):
    "Charging_ Needs urn:x-oca:ocpp:uid:2:233249"

    requested_energy_transfer: EnergyTransferModeEnumType = field(name="requestedEnergyTransfer")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    ac_charging_parameters: ACChargingParametersType | UnsetType = field(default=UNSET, name="acChargingParameters")
    dc_charging_parameters: DCChargingParametersType | UnsetType = field(default=UNSET, name="dcChargingParameters")
    departure_time: DateTime | UnsetType = field(default=UNSET, name="departureTime")


class NotifyEVChargingNeedsRequest(Message):
    charging_needs: ChargingNeedsType = field(name="chargingNeeds")
    evse_id: int = field(name="evseId")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    max_schedule_tuples: int | UnsetType = field(default=UNSET, name="maxScheduleTuples")


NotifyEVChargingNeedsStatusEnumType = Literal["Accepted", "Rejected", "Processing"]


class NotifyEVChargingNeedsResponse(Message):
    status: NotifyEVChargingNeedsStatusEnumType
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")


class NotifyEVChargingScheduleRequest(Message):
    time_base: DateTime = field(name="timeBase")
    charging_schedule: ChargingScheduleType = field(name="chargingSchedule")
    evse_id: int = field(name="evseId")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class NotifyEVChargingScheduleResponse(Message):
    status: GenericStatusEnumType
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")


EventTriggerEnumType = Literal["Alerting", "Delta", "Periodic"]


EventNotificationEnumType = Literal["HardWiredNotification", "HardWiredMonitor", "PreconfiguredMonitor", "CustomMonitor"]


class EventDataType(Message):
    "Class to report an event notification for a component-variable."

    event_id: int = field(name="eventId")
    timestamp: DateTime
    trigger: EventTriggerEnumType
    actual_value: Annotated[str, Meta(max_length=2500)] = field(name="actualValue")
    component: ComponentType
    event_notification_type: EventNotificationEnumType = field(name="eventNotificationType")
    variable: VariableType
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    cause: int | UnsetType = field(default=UNSET, name="cause")
    tech_code: Annotated[str, Meta(max_length=50)] | UnsetType = field(default=UNSET, name="techCode")
    tech_info: Annotated[str, Meta(max_length=500)] | UnsetType = field(default=UNSET, name="techInfo")
    cleared: bool | UnsetType = field(default=UNSET, name="cleared")
    transaction_id: Annotated[str, Meta(max_length=36)] | UnsetType = field(default=UNSET, name="transactionId")
    variable_monitoring_id: int | UnsetType = field(default=UNSET, name="variableMonitoringId")


class NotifyEventRequest(Message):
    generated_at: DateTime = field(name="generatedAt")
    seq_no: int = field(name="seqNo")
    event_data: Annotated[list[EventDataType], Meta(min_length=1)] = field(name="eventData")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    tbc: bool | UnsetType = field(default=UNSET, name="tbc")


class NotifyEventResponse(Message):
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


MonitorEnumType = Literal["UpperThreshold", "LowerThreshold", "Delta", "Periodic", "PeriodicClockAligned"]


class VariableMonitoringType(Message):
    "A monitoring setting for a variable."

    id: int
    transaction: bool
    value: float
    type: MonitorEnumType
    severity: int
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class MonitoringDataType(Message):
    "Class to hold parameters of SetVariableMonitoring request."

    component: ComponentType
    variable: VariableType
    variable_monitoring: Annotated[list[VariableMonitoringType], Meta(min_length=1)] = field(name="variableMonitoring")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class NotifyMonitoringReportRequest(Message):
    request_id: int = field(name="requestId")
    seq_no: int = field(name="seqNo")
    generated_at: DateTime = field(name="generatedAt")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    monitor: Annotated[list[MonitoringDataType], Meta(min_length=1)] | UnsetType = field(default=UNSET, name="monitor")
    tbc: bool | UnsetType = field(default=UNSET, name="tbc")


class NotifyMonitoringReportResponse(Message):
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


MutabilityEnumType = Literal["ReadOnly", "WriteOnly", "ReadWrite"]


class VariableAttributeType(Message):
    "Attribute data of a variable."

    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    type: AttributeEnumType | UnsetType = field(default=UNSET, name="type")
    value: Annotated[str, Meta(max_length=2500)] | UnsetType = field(default=UNSET, name="value")
    mutability: MutabilityEnumType | UnsetType = field(default=UNSET, name="mutability")
    persistent: bool | UnsetType = field(default=UNSET, name="persistent")
    constant: bool | UnsetType = field(default=UNSET, name="constant")


DataEnumType = Literal["string", "decimal", "integer", "dateTime", "boolean", "OptionList", "SequenceList", "MemberList"]


class VariableCharacteristicsType(Message):
    "Fixed read-only parameters of a variable."

    data_type: DataEnumType = field(name="dataType")
    supports_monitoring: bool = field(name="supportsMonitoring")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    unit: Annotated[str, Meta(max_length=16)] | UnsetType = field(default=UNSET, name="unit")
    min_limit: float | UnsetType = field(default=UNSET, name="minLimit")
    max_limit: float | UnsetType = field(default=UNSET, name="maxLimit")
    values_list: Annotated[str, Meta(max_length=1000)] | UnsetType = field(default=UNSET, name="valuesList")


class ReportDataType(Message):
    "Class to report components, variables and variable attributes and characteristics."

    component: ComponentType
    variable: VariableType
    variable_attribute: Annotated[list[VariableAttributeType], Meta(min_length=1, max_length=4)] = field(name="variableAttribute")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    variable_characteristics: VariableCharacteristicsType | UnsetType = field(default=UNSET, name="variableCharacteristics")


class NotifyReportRequest(Message):
    request_id: int = field(name="requestId")
    generated_at: DateTime = field(name="generatedAt")
    seq_no: int = field(name="seqNo")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    report_data: Annotated[list[ReportDataType], Meta(min_length=1)] | UnsetType = field(default=UNSET, name="reportData")
    tbc: bool | UnsetType = field(default=UNSET, name="tbc")


class NotifyReportResponse(Message):
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class PublishFirmwareRequest(Message):
    location: Annotated[str, Meta(max_length=512)]
    checksum: Annotated[str, Meta(max_length=32)]
    request_id: int = field(name="requestId")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    retries: int | UnsetType = field(default=UNSET, name="retries")
    retry_interval: int | UnsetType = field(default=UNSET, name="retryInterval")


class PublishFirmwareResponse(Message):
    status: GenericStatusEnumType
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")


PublishFirmwareStatusEnumType = Literal["Idle", "DownloadScheduled", "Downloading", "Downloaded", "Published", "DownloadFailed", "DownloadPaused", "InvalidChecksum", "ChecksumVerified", "PublishFailed"]


class PublishFirmwareStatusNotificationRequest(Message):
    status: PublishFirmwareStatusEnumType
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    location: Annotated[list[Annotated[str, Meta(max_length=512)]], Meta(min_length=1)] | UnsetType = field(default=UNSET, name="location")
    request_id: int | UnsetType = field(default=UNSET, name="requestId")


class PublishFirmwareStatusNotificationResponse(Message):
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


ChargingProfileKindEnumType = Literal["Absolute", "Recurring", "Relative"]


RecurrencyKindEnumType = Literal["Daily", "Weekly"]


class ChargingProfileType(Message):
    "Charging_ Profile urn:x-oca:ocpp:uid:2:233255 A ChargingProfile consists of ChargingSchedule, describing the amount of power or current that can be delivered per time interval."

    id: int
    stack_level: int = field(name="stackLevel")
    charging_profile_purpose: ChargingProfilePurposeEnumType = field(name="chargingProfilePurpose")
    charging_profile_kind: ChargingProfileKindEnumType = field(name="chargingProfileKind")
    charging_schedule: Annotated[list[ChargingScheduleType], Meta(min_length=1, max_length=3)] = field(name="chargingSchedule")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    recurrency_kind: RecurrencyKindEnumType | UnsetType = field(default=UNSET, name="recurrencyKind")
    valid_from: DateTime | UnsetType = field(default=UNSET, name="validFrom")
    valid_to: DateTime | UnsetType = field(default=UNSET, name="validTo")
    transaction_id: Annotated[str, Meta(max_length=36)] | UnsetType = field(default=UNSET, name="transactionId")


class ReportChargingProfilesRequest(Message):
    request_id: int = field(name="requestId")
    charging_limit_source: ChargingLimitSourceEnumType = field(name="chargingLimitSource")
    charging_profile: Annotated[list[ChargingProfileType], Meta(min_length=1)] = field(name="chargingProfile")
    evse_id: int = field(name="evseId")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    tbc: bool | UnsetType = field(default=UNSET, name="tbc")


class ReportChargingProfilesResponse(Message):
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class RequestStartTransactionRequest(Message):
    id_token: IdTokenType = field(name="idToken")
    remote_start_id: int = field(name="remoteStartId")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    evse_id: int | UnsetType = field(default=UNSET, name="evseId")
    group_id_token: IdTokenType | UnsetType = field(default=UNSET, name="groupIdToken")
    charging_profile: ChargingProfileType | UnsetType = field(default=UNSET, name="chargingProfile")


RequestStartStopStatusEnumType = Literal["Accepted", "Rejected"]


class RequestStartTransactionResponse(Message):
    status: RequestStartStopStatusEnumType
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")
    transaction_id: Annotated[str, Meta(max_length=36)] | UnsetType = field(default=UNSET, name="transactionId")


class RequestStopTransactionRequest(Message):
    transaction_id: Annotated[str, Meta(max_length=36)] = field(name="transactionId")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class RequestStopTransactionResponse(Message):
    status: RequestStartStopStatusEnumType
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")


ReservationUpdateStatusEnumType = Literal["Expired", "Removed"]


class ReservationStatusUpdateRequest(Message):
    reservation_id: int = field(name="reservationId")
    reservation_update_status: ReservationUpdateStatusEnumType = field(name="reservationUpdateStatus")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class ReservationStatusUpdateResponse(Message):
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


ConnectorEnumType = Literal["cCCS1", "cCCS2", "cG105", "cTesla", "cType1", "cType2", "s309-1P-16A", "s309-1P-32A", "s309-3P-16A", "s309-3P-32A", "sBS1361", "sCEE-7-7", "sType2", "sType3", "Other1PhMax16A", "Other1PhOver16A", "Other3Ph", "Pan", "wInductive", "wResonant", "Undetermined", "Unknown"]


class ReserveNowRequest(Message):
    id: int
    expiry_date_time: DateTime = field(name="expiryDateTime")
    id_token: IdTokenType = field(name="idToken")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    connector_type: ConnectorEnumType | UnsetType = field(default=UNSET, name="connectorType")
    evse_id: int | UnsetType = field(default=UNSET, name="evseId")
    group_id_token: IdTokenType | UnsetType = field(default=UNSET, name="groupIdToken")


ReserveNowStatusEnumType = Literal["Accepted", "Faulted", "Occupied", "Rejected", "Unavailable"]


class ReserveNowResponse(Message):
    status: ReserveNowStatusEnumType
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")


ResetEnumType = Literal["Immediate", "OnIdle"]


class ResetRequest(Message):
    type: ResetEnumType
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    evse_id: int | UnsetType = field(default=UNSET, name="evseId")


ResetStatusEnumType = Literal["Accepted", "Rejected", "Scheduled"]


class ResetResponse(Message):
    status: ResetStatusEnumType
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")


class SecurityEventNotificationRequest(Message):
    type: Annotated[str, Meta(max_length=50)]
    timestamp: DateTime
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    tech_info: Annotated[str, Meta(max_length=255)] | UnsetType = field(default=UNSET, name="techInfo")


class SecurityEventNotificationResponse(Message):
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class AuthorizationData(Message):
    "Contains the identifier to use for authorization."

    id_token: IdTokenType = field(name="idToken")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    id_token_info: IdTokenInfoType | UnsetType = field(default=UNSET, name="idTokenInfo")


UpdateEnumType = Literal["Differential", "Full"]


class SendLocalListRequest(Message):
    version_number: int = field(name="versionNumber")
    update_type: UpdateEnumType = field(name="updateType")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    local_authorization_list: Annotated[list[AuthorizationData], Meta(min_length=1)] | UnsetType = field(default=UNSET, name="localAuthorizationList")


SendLocalListStatusEnumType = Literal["Accepted", "Failed", "VersionMismatch"]


class SendLocalListResponse(Message):
    status: SendLocalListStatusEnumType
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")


class SetChargingProfileRequest(Message):
    evse_id: int = field(name="evseId")
    charging_profile: ChargingProfileType = field(name="chargingProfile")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


ChargingProfileStatusEnumType = Literal["Accepted", "Rejected"]


class SetChargingProfileResponse(Message):
    status: ChargingProfileStatusEnumType
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")


class SetDisplayMessageRequest(Message):
    message: MessageInfoType
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


DisplayMessageStatusEnumType = Literal["Accepted", "NotSupportedMessageFormat", "Rejected", "NotSupportedPriority", "NotSupportedState", "UnknownTransaction"]


class SetDisplayMessageResponse(Message):
    status: DisplayMessageStatusEnumType
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")


MonitoringBaseEnumType = Literal["All", "FactoryDefault", "HardWiredOnly"]


class SetMonitoringBaseRequest(Message):
    monitoring_base: MonitoringBaseEnumType = field(name="monitoringBase")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class SetMonitoringBaseResponse(Message):
    status: GenericDeviceModelStatusEnumType
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")


class SetMonitoringLevelRequest(Message):
    severity: int
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class SetMonitoringLevelResponse(Message):
    status: GenericStatusEnumType
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")


APNAuthenticationEnumType = Literal["CHAP", "NONE", "PAP", "AUTO"]


class APNType(Message):
    "APN urn:x-oca:ocpp:uid:2:233134 Collection of configuration data needed to make a data-connection over a cellular network.  NOTE: When asking a GSM modem to dial in, it is possible to specify which mobile operator should be used. This can be done with the mobile country code (MCC) in combination wit"

    apn: Annotated[str, Meta(max_length=512)]
    apn_authentication: APNAuthenticationEnumType = field(name="apnAuthentication")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    apn_user_name: Annotated[str, Meta(max_length=20)] | UnsetType = field(default=UNSET, name="apnUserName")
    apn_password: Annotated[str, Meta(max_length=20)] | UnsetType = field(default=UNSET, name="apnPassword")
    sim_pin: int | UnsetType = field(default=UNSET, name="simPin")
    preferred_network: Annotated[str, Meta(max_length=6)] | UnsetType = field(default=UNSET, name="preferredNetwork")
    use_only_preferred_network: bool | UnsetType = field(default=UNSET, name="useOnlyPreferredNetwork")


OCPPVersionEnumType = Literal["OCPP12", "OCPP15", "OCPP16", "OCPP20"]


OCPPTransportEnumType = Literal["JSON", "SOAP"]


OCPPInterfaceEnumType = Literal["Wired0", "Wired1", "Wired2", "Wired3", "Wireless0", "Wireless1", "Wireless2", "Wireless3"]


VPNEnumType = Literal["IKEv2", "IPSec", "L2TP", "PPTP"]


class VPNType(Message):
    "VPN urn:x-oca:ocpp:uid:2:233268 VPN Configuration settings"

    server: Annotated[str, Meta(max_length=512)]
    user: Annotated[str, Meta(max_length=20)]
    password: Annotated[str, Meta(max_length=20)]
    key: Annotated[str, Meta(max_length=255)]
    type: VPNEnumType
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    group: Annotated[str, Meta(max_length=20)] | UnsetType = field(default=UNSET, name="group")


class NetworkConnectionProfileType(Message):
    "Communication_ Function urn:x-oca:ocpp:uid:2:233304 The NetworkConnectionProfile defines the functional and technical parameters of a communication link."

    ocpp_version: OCPPVersionEnumType = field(name="ocppVersion")
    ocpp_transport: OCPPTransportEnumType = field(name="ocppTransport")
    ocpp_csms_url: Annotated[str, Meta(max_length=512)] = field(name="ocppCsmsUrl")
    message_timeout: int = field(name="messageTimeout")
    security_profile: int = field(name="securityProfile")
    ocpp_interface: OCPPInterfaceEnumType = field(name="ocppInterface")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    apn: APNType | UnsetType = field(default=UNSET, name="apn")
    vpn: VPNType | UnsetType = field(default=UNSET, name="vpn")


class SetNetworkProfileRequest(Message):
    configuration_slot: int = field(name="configurationSlot")
    connection_data: NetworkConnectionProfileType = field(name="connectionData")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


SetNetworkProfileStatusEnumType = Literal["Accepted", "Rejected", "Failed"]


class SetNetworkProfileResponse(Message):
    status: SetNetworkProfileStatusEnumType
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")


class SetMonitoringDataType(Message):
    "Class to hold parameters of SetVariableMonitoring request."

    value: float
    type: MonitorEnumType
    severity: int
    component: ComponentType
    variable: VariableType
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    id: int | UnsetType = field(default=UNSET, name="id")
    transaction: bool | UnsetType = field(default=UNSET, name="transaction")


class SetVariableMonitoringRequest(Message):
    set_monitoring_data: Annotated[list[SetMonitoringDataType], Meta(min_length=1)] = field(name="setMonitoringData")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


SetMonitoringStatusEnumType = Literal["Accepted", "UnknownComponent", "UnknownVariable", "UnsupportedMonitorType", "Rejected", "Duplicate"]


class SetMonitoringResultType(Message):
    "Class to hold result of SetVariableMonitoring request."

    status: SetMonitoringStatusEnumType
    type: MonitorEnumType
    component: ComponentType
    variable: VariableType
    severity: int
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    id: int | UnsetType = field(default=UNSET, name="id")
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")


class SetVariableMonitoringResponse(Message):
    set_monitoring_result: Annotated[list[SetMonitoringResultType], Meta(min_length=1)] = field(name="setMonitoringResult")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class SetVariableDataType(Message):
    attribute_value: Annotated[str, Meta(max_length=1000)] = field(name="attributeValue")
    component: ComponentType
    variable: VariableType
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    attribute_type: AttributeEnumType | UnsetType = field(default=UNSET, name="attributeType")


class SetVariablesRequest(Message):
    set_variable_data: Annotated[list[SetVariableDataType], Meta(min_length=1)] = field(name="setVariableData")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


SetVariableStatusEnumType = Literal["Accepted", "Rejected", "UnknownComponent", "UnknownVariable", "NotSupportedAttributeType", "RebootRequired"]


class SetVariableResultType(Message):
    attribute_status: SetVariableStatusEnumType = field(name="attributeStatus")
    component: ComponentType
    variable: VariableType
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    attribute_type: AttributeEnumType | UnsetType = field(default=UNSET, name="attributeType")
    attribute_status_info: StatusInfoType | UnsetType = field(default=UNSET, name="attributeStatusInfo")


class SetVariablesResponse(Message):
    set_variable_result: Annotated[list[SetVariableResultType], Meta(min_length=1)] = field(name="setVariableResult")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class SignCertificateRequest(Message):
    csr: Annotated[str, Meta(max_length=5500)]
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    certificate_type: CertificateSigningUseEnumType | UnsetType = field(default=UNSET, name="certificateType")


class SignCertificateResponse(Message):
    status: GenericStatusEnumType
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")


ConnectorStatusEnumType = Literal["Available", "Occupied", "Reserved", "Unavailable", "Faulted"]


class StatusNotificationRequest(Message):
    timestamp: DateTime
    connector_status: ConnectorStatusEnumType = field(name="connectorStatus")
    evse_id: int = field(name="evseId")
    connector_id: int = field(name="connectorId")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class StatusNotificationResponse(Message):
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


TransactionEventEnumType = Literal["Ended", "Started", "Updated"]


TriggerReasonEnumType = Literal["Authorized", "CablePluggedIn", "ChargingRateChanged", "ChargingStateChanged", "Deauthorized", "EnergyLimitReached", "EVCommunicationLost", "EVConnectTimeout", "MeterValueClock", "MeterValuePeriodic", "TimeLimitReached", "Trigger", "UnlockCommand", "StopAuthorized", "EVDeparted", "EVDetected", "RemoteStop", "RemoteStart", "AbnormalCondition", "SignedDataReceived", "ResetCommand"]


ChargingStateEnumType = Literal["Charging", "EVConnected", "SuspendedEV", "SuspendedEVSE", "Idle"]


ReasonEnumType = Literal["DeAuthorized", "EmergencyStop", "EnergyLimitReached", "EVDisconnected", "GroundFault", "ImmediateReset", "Local", "LocalOutOfCredit", "MasterPass", "Other", "OvercurrentFault", "PowerLoss", "PowerQuality", "Reboot", "Remote", "SOCLimitReached", "StoppedByEV", "TimeLimitReached", "Timeout"]


class TransactionType(Message):
    "Transaction urn:x-oca:ocpp:uid:2:233318"

    transaction_id: Annotated[str, Meta(max_length=36)] = field(name="transactionId")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    charging_state: ChargingStateEnumType | UnsetType = field(default=UNSET, name="chargingState")
    time_spent_charging: int | UnsetType = field(default=UNSET, name="timeSpentCharging")
    stopped_reason: ReasonEnumType | UnsetType = field(default=UNSET, name="stoppedReason")
    remote_start_id: int | UnsetType = field(default=UNSET, name="remoteStartId")


class TransactionEventRequest(Message):
    event_type: TransactionEventEnumType = field(name="eventType")
    timestamp: DateTime
    trigger_reason: TriggerReasonEnumType = field(name="triggerReason")
    seq_no: int = field(name="seqNo")
    transaction_info: TransactionType = field(name="transactionInfo")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    meter_value: Annotated[list[MeterValueType], Meta(min_length=1)] | UnsetType = field(default=UNSET, name="meterValue")
    offline: bool | UnsetType = field(default=UNSET, name="offline")
    number_of_phases_used: int | UnsetType = field(default=UNSET, name="numberOfPhasesUsed")
    cable_max_current: int | UnsetType = field(default=UNSET, name="cableMaxCurrent")
    reservation_id: int | UnsetType = field(default=UNSET, name="reservationId")
    evse: EVSEType | UnsetType = field(default=UNSET, name="evse")
    id_token: IdTokenType | UnsetType = field(default=UNSET, name="idToken")


class TransactionEventResponse(Message):
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    total_cost: float | UnsetType = field(default=UNSET, name="totalCost")
    charging_priority: int | UnsetType = field(default=UNSET, name="chargingPriority")
    id_token_info: IdTokenInfoType | UnsetType = field(default=UNSET, name="idTokenInfo")
    updated_personal_message: MessageContentType | UnsetType = field(default=UNSET, name="updatedPersonalMessage")


MessageTriggerEnumType = Literal["BootNotification", "LogStatusNotification", "FirmwareStatusNotification", "Heartbeat", "MeterValues", "SignChargingStationCertificate", "SignV2GCertificate", "StatusNotification", "TransactionEvent", "SignCombinedCertificate", "PublishFirmwareStatusNotification"]


class TriggerMessageRequest(Message):
    requested_message: MessageTriggerEnumType = field(name="requestedMessage")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    evse: EVSEType | UnsetType = field(default=UNSET, name="evse")


TriggerMessageStatusEnumType = Literal["Accepted", "Rejected", "NotImplemented"]


class TriggerMessageResponse(Message):
    status: TriggerMessageStatusEnumType
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")


class UnlockConnectorRequest(Message):
    evse_id: int = field(name="evseId")
    connector_id: int = field(name="connectorId")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


UnlockStatusEnumType = Literal["Unlocked", "UnlockFailed", "OngoingAuthorizedTransaction", "UnknownConnector"]


class UnlockConnectorResponse(Message):
    status: UnlockStatusEnumType
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")


class UnpublishFirmwareRequest(Message):
    checksum: Annotated[str, Meta(max_length=32)]
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


UnpublishFirmwareStatusEnumType = Literal["DownloadOngoing", "NoFirmware", "Unpublished"]


class UnpublishFirmwareResponse(Message):
    status: UnpublishFirmwareStatusEnumType
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class FirmwareType(Message):
    "Firmware urn:x-enexis:ecdm:uid:2:233291 Represents a copy of the firmware that can be loaded/updated on the Charging Station."

    location: Annotated[str, Meta(max_length=512)]
    retrieve_date_time: DateTime = field(name="retrieveDateTime")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    install_date_time: DateTime | UnsetType = field(default=UNSET, name="installDateTime")
    signing_certificate: Annotated[str, Meta(max_length=5500)] | UnsetType = field(default=UNSET, name="signingCertificate")
    signature: Annotated[str, Meta(max_length=800)] | UnsetType = field(default=UNSET, name="signature")


class UpdateFirmwareRequest(Message):
    request_id: int = field(name="requestId")
    firmware: FirmwareType
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    retries: int | UnsetType = field(default=UNSET, name="retries")
    retry_interval: int | UnsetType = field(default=UNSET, name="retryInterval")


UpdateFirmwareStatusEnumType = Literal["Accepted", "Rejected", "AcceptedCanceled", "InvalidCertificate", "RevokedCertificate"]


class UpdateFirmwareResponse(Message):
    status: UpdateFirmwareStatusEnumType
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")
