"""OCPP 1.6 messages, generated from the OCA JSON schemas.

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
    "AuthorizeRequest",
    "AuthorizeResponse",
    "BootNotificationRequest",
    "BootNotificationResponse",
    "BootNotificationStatusEnum",
    "CancelReservationRequest",
    "CancelReservationResponse",
    "CancelReservationStatusEnum",
    "CertificateHashDataType",
    "CertificateSignedRequest",
    "CertificateSignedResponse",
    "CertificateSignedStatusEnumType",
    "CertificateUseEnumType",
    "ChangeAvailabilityRequest",
    "ChangeAvailabilityResponse",
    "ChangeAvailabilityStatusEnum",
    "ChangeConfigurationRequest",
    "ChangeConfigurationResponse",
    "ChangeConfigurationStatusEnum",
    "ChargingProfile",
    "ChargingProfileKindEnum",
    "ChargingProfilePurposeEnum",
    "ChargingRateUnitEnum",
    "ChargingSchedule",
    "ChargingSchedulePeriod",
    "ClearCacheRequest",
    "ClearCacheResponse",
    "ClearCacheStatusEnum",
    "ClearChargingProfileRequest",
    "ClearChargingProfileResponse",
    "ClearChargingProfileStatusEnum",
    "ConfigurationKey",
    "ContextEnum",
    "CsChargingProfiles",
    "DataTransferRequest",
    "DataTransferResponse",
    "DataTransferStatusEnum",
    "DeleteCertificateRequest",
    "DeleteCertificateResponse",
    "DeleteCertificateStatusEnumType",
    "DiagnosticsStatusNotificationRequest",
    "DiagnosticsStatusNotificationResponse",
    "DiagnosticsStatusNotificationStatusEnum",
    "ErrorCodeEnum",
    "ExtendedTriggerMessageRequest",
    "ExtendedTriggerMessageResponse",
    "FirmwareStatusEnumType",
    "FirmwareStatusNotificationRequest",
    "FirmwareStatusNotificationResponse",
    "FirmwareStatusNotificationStatusEnum",
    "FirmwareType",
    "FormatEnum",
    "GenericStatusEnumType",
    "GetCompositeScheduleRequest",
    "GetCompositeScheduleResponse",
    "GetCompositeScheduleStatusEnum",
    "GetConfigurationRequest",
    "GetConfigurationResponse",
    "GetDiagnosticsRequest",
    "GetDiagnosticsResponse",
    "GetInstalledCertificateIdsRequest",
    "GetInstalledCertificateIdsResponse",
    "GetInstalledCertificateStatusEnumType",
    "GetLocalListVersionRequest",
    "GetLocalListVersionResponse",
    "GetLogRequest",
    "GetLogResponse",
    "HashAlgorithmEnumType",
    "HeartbeatRequest",
    "HeartbeatResponse",
    "IdTagInfo",
    "InstallCertificateRequest",
    "InstallCertificateResponse",
    "InstallCertificateStatusEnumType",
    "LocalAuthorizationList",
    "LocationEnum",
    "LogEnumType",
    "LogParametersType",
    "LogStatusEnumType",
    "LogStatusNotificationRequest",
    "LogStatusNotificationResponse",
    "MeasurandEnum",
    "MessageTriggerEnumType",
    "MeterValue",
    "MeterValuesRequest",
    "MeterValuesResponse",
    "PhaseEnum",
    "ReasonEnum",
    "RecurrencyKindEnum",
    "RemoteStartTransactionRequest",
    "RemoteStartTransactionResponse",
    "RemoteStartTransactionStatusEnum",
    "RemoteStopTransactionRequest",
    "RemoteStopTransactionResponse",
    "RemoteStopTransactionStatusEnum",
    "RequestedMessageEnum",
    "ReserveNowRequest",
    "ReserveNowResponse",
    "ReserveNowStatusEnum",
    "ResetRequest",
    "ResetResponse",
    "ResetStatusEnum",
    "ResetTypeEnum",
    "SampledValue",
    "SecurityEventNotificationRequest",
    "SecurityEventNotificationResponse",
    "SendLocalListRequest",
    "SendLocalListResponse",
    "SendLocalListStatusEnum",
    "SetChargingProfileRequest",
    "SetChargingProfileResponse",
    "SetChargingProfileStatusEnum",
    "SignCertificateRequest",
    "SignCertificateResponse",
    "SignedFirmwareStatusNotificationRequest",
    "SignedFirmwareStatusNotificationResponse",
    "SignedUpdateFirmwareRequest",
    "SignedUpdateFirmwareResponse",
    "StartTransactionRequest",
    "StartTransactionResponse",
    "StatusEnum",
    "StatusNotificationRequest",
    "StatusNotificationResponse",
    "StatusNotificationStatusEnum",
    "StopTransactionRequest",
    "StopTransactionResponse",
    "StopTransactionSampledValue",
    "StopTransactionUnitEnum",
    "TransactionData",
    "TriggerMessageRequest",
    "TriggerMessageResponse",
    "TriggerMessageStatusEnum",
    "TriggerMessageStatusEnumType",
    "TypeEnum",
    "UnitEnum",
    "UnlockConnectorRequest",
    "UnlockConnectorResponse",
    "UnlockConnectorStatusEnum",
    "UpdateFirmwareRequest",
    "UpdateFirmwareResponse",
    "UpdateFirmwareStatusEnumType",
    "UpdateTypeEnum",
    "UploadLogStatusEnumType",
]


class AuthorizeRequest(Message):
    id_tag: Annotated[str, Meta(max_length=20)] = field(name="idTag")


StatusEnum = Literal["Accepted", "Blocked", "Expired", "Invalid", "ConcurrentTx"]


class IdTagInfo(Message):
    status: StatusEnum
    expiry_date: DateTime | UnsetType = field(default=UNSET, name="expiryDate")
    parent_id_tag: Annotated[str, Meta(max_length=20)] | UnsetType = field(default=UNSET, name="parentIdTag")


class AuthorizeResponse(Message):
    id_tag_info: IdTagInfo = field(name="idTagInfo")


class BootNotificationRequest(Message):
    charge_point_vendor: Annotated[str, Meta(max_length=20)] = field(name="chargePointVendor")
    charge_point_model: Annotated[str, Meta(max_length=20)] = field(name="chargePointModel")
    charge_point_serial_number: Annotated[str, Meta(max_length=25)] | UnsetType = field(default=UNSET, name="chargePointSerialNumber")
    charge_box_serial_number: Annotated[str, Meta(max_length=25)] | UnsetType = field(default=UNSET, name="chargeBoxSerialNumber")
    firmware_version: Annotated[str, Meta(max_length=50)] | UnsetType = field(default=UNSET, name="firmwareVersion")
    iccid: Annotated[str, Meta(max_length=20)] | UnsetType = field(default=UNSET, name="iccid")
    imsi: Annotated[str, Meta(max_length=20)] | UnsetType = field(default=UNSET, name="imsi")
    meter_type: Annotated[str, Meta(max_length=25)] | UnsetType = field(default=UNSET, name="meterType")
    meter_serial_number: Annotated[str, Meta(max_length=25)] | UnsetType = field(default=UNSET, name="meterSerialNumber")


BootNotificationStatusEnum = Literal["Accepted", "Pending", "Rejected"]


class BootNotificationResponse(Message):
    status: BootNotificationStatusEnum
    current_time: DateTime = field(name="currentTime")
    interval: int


class CancelReservationRequest(Message):
    reservation_id: int = field(name="reservationId")


CancelReservationStatusEnum = Literal["Accepted", "Rejected"]


class CancelReservationResponse(Message):
    status: CancelReservationStatusEnum


class CertificateSignedRequest(Message):
    certificate_chain: Annotated[str, Meta(max_length=10000)] = field(name="certificateChain")


CertificateSignedStatusEnumType = Literal["Accepted", "Rejected"]


class CertificateSignedResponse(Message):
    status: CertificateSignedStatusEnumType


TypeEnum = Literal["Inoperative", "Operative"]


class ChangeAvailabilityRequest(Message):
    connector_id: int = field(name="connectorId")
    type: TypeEnum


ChangeAvailabilityStatusEnum = Literal["Accepted", "Rejected", "Scheduled"]


class ChangeAvailabilityResponse(Message):
    status: ChangeAvailabilityStatusEnum


class ChangeConfigurationRequest(Message):
    key: Annotated[str, Meta(max_length=50)]
    value: Annotated[str, Meta(max_length=500)]


ChangeConfigurationStatusEnum = Literal["Accepted", "Rejected", "RebootRequired", "NotSupported"]


class ChangeConfigurationResponse(Message):
    status: ChangeConfigurationStatusEnum


class ClearCacheRequest(Message):
    pass


ClearCacheStatusEnum = Literal["Accepted", "Rejected"]


class ClearCacheResponse(Message):
    status: ClearCacheStatusEnum


ChargingProfilePurposeEnum = Literal["ChargePointMaxProfile", "TxDefaultProfile", "TxProfile"]


class ClearChargingProfileRequest(Message):
    id: int | UnsetType = field(default=UNSET, name="id")
    connector_id: int | UnsetType = field(default=UNSET, name="connectorId")
    charging_profile_purpose: ChargingProfilePurposeEnum | UnsetType = field(default=UNSET, name="chargingProfilePurpose")
    stack_level: int | UnsetType = field(default=UNSET, name="stackLevel")


ClearChargingProfileStatusEnum = Literal["Accepted", "Unknown"]


class ClearChargingProfileResponse(Message):
    status: ClearChargingProfileStatusEnum


class DataTransferRequest(Message):
    vendor_id: Annotated[str, Meta(max_length=255)] = field(name="vendorId")
    message_id: Annotated[str, Meta(max_length=50)] | UnsetType = field(default=UNSET, name="messageId")
    data: str | UnsetType = field(default=UNSET, name="data")


DataTransferStatusEnum = Literal["Accepted", "Rejected", "UnknownMessageId", "UnknownVendorId"]


class DataTransferResponse(Message):
    status: DataTransferStatusEnum
    data: str | UnsetType = field(default=UNSET, name="data")


HashAlgorithmEnumType = Literal["SHA256", "SHA384", "SHA512"]


class CertificateHashDataType(Message):
    hash_algorithm: HashAlgorithmEnumType = field(name="hashAlgorithm")
    issuer_name_hash: Annotated[str, Meta(max_length=128)] = field(name="issuerNameHash")
    issuer_key_hash: Annotated[str, Meta(max_length=128)] = field(name="issuerKeyHash")
    serial_number: Annotated[str, Meta(max_length=40)] = field(name="serialNumber")


class DeleteCertificateRequest(Message):
    certificate_hash_data: CertificateHashDataType = field(name="certificateHashData")


DeleteCertificateStatusEnumType = Literal["Accepted", "Failed", "NotFound"]


class DeleteCertificateResponse(Message):
    status: DeleteCertificateStatusEnumType


DiagnosticsStatusNotificationStatusEnum = Literal["Idle", "Uploaded", "UploadFailed", "Uploading"]


class DiagnosticsStatusNotificationRequest(Message):
    status: DiagnosticsStatusNotificationStatusEnum


class DiagnosticsStatusNotificationResponse(Message):
    pass


MessageTriggerEnumType = Literal["BootNotification", "LogStatusNotification", "FirmwareStatusNotification", "Heartbeat", "MeterValues", "SignChargePointCertificate", "StatusNotification"]


class ExtendedTriggerMessageRequest(Message):
    requested_message: MessageTriggerEnumType = field(name="requestedMessage")
    connector_id: int | UnsetType = field(default=UNSET, name="connectorId")


TriggerMessageStatusEnumType = Literal["Accepted", "Rejected", "NotImplemented"]


class ExtendedTriggerMessageResponse(Message):
    status: TriggerMessageStatusEnumType


FirmwareStatusNotificationStatusEnum = Literal["Downloaded", "DownloadFailed", "Downloading", "Idle", "InstallationFailed", "Installing", "Installed"]


class FirmwareStatusNotificationRequest(Message):
    status: FirmwareStatusNotificationStatusEnum


class FirmwareStatusNotificationResponse(Message):
    pass


ChargingRateUnitEnum = Literal["A", "W"]


class GetCompositeScheduleRequest(Message):
    connector_id: int = field(name="connectorId")
    duration: int
    charging_rate_unit: ChargingRateUnitEnum | UnsetType = field(default=UNSET, name="chargingRateUnit")


GetCompositeScheduleStatusEnum = Literal["Accepted", "Rejected"]


class ChargingSchedulePeriod(Message):
    start_period: int = field(name="startPeriod")
    limit: float
    number_phases: int | UnsetType = field(default=UNSET, name="numberPhases")

    def __post_init__(self) -> None:
        check_multiple_of(self.limit, 0.1, "limit")


class ChargingSchedule(Message):
    charging_rate_unit: ChargingRateUnitEnum = field(name="chargingRateUnit")
    charging_schedule_period: list[ChargingSchedulePeriod] = field(name="chargingSchedulePeriod")
    duration: int | UnsetType = field(default=UNSET, name="duration")
    start_schedule: DateTime | UnsetType = field(default=UNSET, name="startSchedule")
    min_charging_rate: float | UnsetType = field(default=UNSET, name="minChargingRate")

    def __post_init__(self) -> None:
        check_multiple_of(self.min_charging_rate, 0.1, "minChargingRate")


class GetCompositeScheduleResponse(Message):
    status: GetCompositeScheduleStatusEnum
    connector_id: int | UnsetType = field(default=UNSET, name="connectorId")
    schedule_start: DateTime | UnsetType = field(default=UNSET, name="scheduleStart")
    charging_schedule: ChargingSchedule | UnsetType = field(default=UNSET, name="chargingSchedule")


class GetConfigurationRequest(Message):
    key: list[Annotated[str, Meta(max_length=50)]] | UnsetType = field(default=UNSET, name="key")


class ConfigurationKey(Message):
    key: Annotated[str, Meta(max_length=50)]
    readonly: bool
    value: Annotated[str, Meta(max_length=500)] | UnsetType = field(default=UNSET, name="value")


class GetConfigurationResponse(Message):
    configuration_key: list[ConfigurationKey] | UnsetType = field(default=UNSET, name="configurationKey")
    unknown_key: list[Annotated[str, Meta(max_length=50)]] | UnsetType = field(default=UNSET, name="unknownKey")


class GetDiagnosticsRequest(Message):
    location: str
    retries: int | UnsetType = field(default=UNSET, name="retries")
    retry_interval: int | UnsetType = field(default=UNSET, name="retryInterval")
    start_time: DateTime | UnsetType = field(default=UNSET, name="startTime")
    stop_time: DateTime | UnsetType = field(default=UNSET, name="stopTime")


class GetDiagnosticsResponse(Message):
    file_name: Annotated[str, Meta(max_length=255)] | UnsetType = field(default=UNSET, name="fileName")


CertificateUseEnumType = Literal["CentralSystemRootCertificate", "ManufacturerRootCertificate"]


class GetInstalledCertificateIdsRequest(Message):
    certificate_type: CertificateUseEnumType = field(name="certificateType")


GetInstalledCertificateStatusEnumType = Literal["Accepted", "NotFound"]


class GetInstalledCertificateIdsResponse(Message):
    status: GetInstalledCertificateStatusEnumType
    certificate_hash_data: Annotated[list[CertificateHashDataType], Meta(min_length=1)] | UnsetType = field(default=UNSET, name="certificateHashData")


class GetLocalListVersionRequest(Message):
    pass


class GetLocalListVersionResponse(Message):
    list_version: int = field(name="listVersion")


class LogParametersType(Message):
    remote_location: Annotated[str, Meta(max_length=512)] = field(name="remoteLocation")
    oldest_timestamp: DateTime | UnsetType = field(default=UNSET, name="oldestTimestamp")
    latest_timestamp: DateTime | UnsetType = field(default=UNSET, name="latestTimestamp")


LogEnumType = Literal["DiagnosticsLog", "SecurityLog"]


class GetLogRequest(Message):
    log: LogParametersType
    log_type: LogEnumType = field(name="logType")
    request_id: int = field(name="requestId")
    retries: int | UnsetType = field(default=UNSET, name="retries")
    retry_interval: int | UnsetType = field(default=UNSET, name="retryInterval")


LogStatusEnumType = Literal["Accepted", "Rejected", "AcceptedCanceled"]


class GetLogResponse(Message):
    status: LogStatusEnumType
    filename: Annotated[str, Meta(max_length=255)] | UnsetType = field(default=UNSET, name="filename")


class HeartbeatRequest(Message):
    pass


class HeartbeatResponse(Message):
    current_time: DateTime = field(name="currentTime")


class InstallCertificateRequest(Message):
    certificate_type: CertificateUseEnumType = field(name="certificateType")
    certificate: Annotated[str, Meta(max_length=5500)]


InstallCertificateStatusEnumType = Literal["Accepted", "Failed", "Rejected"]


class InstallCertificateResponse(Message):
    status: InstallCertificateStatusEnumType


UploadLogStatusEnumType = Literal["BadMessage", "Idle", "NotSupportedOperation", "PermissionDenied", "Uploaded", "UploadFailure", "Uploading"]


class LogStatusNotificationRequest(Message):
    status: UploadLogStatusEnumType
    request_id: int | UnsetType = field(default=UNSET, name="requestId")


class LogStatusNotificationResponse(Message):
    pass


ContextEnum = Literal["Interruption.Begin", "Interruption.End", "Sample.Clock", "Sample.Periodic", "Transaction.Begin", "Transaction.End", "Trigger", "Other"]


FormatEnum = Literal["Raw", "SignedData"]


MeasurandEnum = Literal["Energy.Active.Export.Register", "Energy.Active.Import.Register", "Energy.Reactive.Export.Register", "Energy.Reactive.Import.Register", "Energy.Active.Export.Interval", "Energy.Active.Import.Interval", "Energy.Reactive.Export.Interval", "Energy.Reactive.Import.Interval", "Power.Active.Export", "Power.Active.Import", "Power.Offered", "Power.Reactive.Export", "Power.Reactive.Import", "Power.Factor", "Current.Import", "Current.Export", "Current.Offered", "Voltage", "Frequency", "Temperature", "SoC", "RPM"]


PhaseEnum = Literal["L1", "L2", "L3", "N", "L1-N", "L2-N", "L3-N", "L1-L2", "L2-L3", "L3-L1"]


LocationEnum = Literal["Cable", "EV", "Inlet", "Outlet", "Body"]


UnitEnum = Literal["Wh", "kWh", "varh", "kvarh", "W", "kW", "VA", "kVA", "var", "kvar", "A", "V", "K", "Celcius", "Celsius", "Fahrenheit", "Percent", "Hertz"]


class SampledValue(Message):
    value: str
    context: ContextEnum | UnsetType = field(default=UNSET, name="context")
    format: FormatEnum | UnsetType = field(default=UNSET, name="format")
    measurand: MeasurandEnum | UnsetType = field(default=UNSET, name="measurand")
    phase: PhaseEnum | UnsetType = field(default=UNSET, name="phase")
    location: LocationEnum | UnsetType = field(default=UNSET, name="location")
    unit: UnitEnum | UnsetType = field(default=UNSET, name="unit")


class MeterValue(Message):
    timestamp: DateTime
    sampled_value: Annotated[list[SampledValue], Meta(min_length=1)] = field(name="sampledValue")


class MeterValuesRequest(Message):
    connector_id: int = field(name="connectorId")
    meter_value: Annotated[list[MeterValue], Meta(min_length=1)] = field(name="meterValue")
    transaction_id: int | UnsetType = field(default=UNSET, name="transactionId")


class MeterValuesResponse(Message):
    pass


ChargingProfileKindEnum = Literal["Absolute", "Recurring", "Relative"]


RecurrencyKindEnum = Literal["Daily", "Weekly"]


class ChargingProfile(Message):
    charging_profile_id: int = field(name="chargingProfileId")
    stack_level: int = field(name="stackLevel")
    charging_profile_purpose: ChargingProfilePurposeEnum = field(name="chargingProfilePurpose")
    charging_profile_kind: ChargingProfileKindEnum = field(name="chargingProfileKind")
    charging_schedule: ChargingSchedule = field(name="chargingSchedule")
    transaction_id: int | UnsetType = field(default=UNSET, name="transactionId")
    recurrency_kind: RecurrencyKindEnum | UnsetType = field(default=UNSET, name="recurrencyKind")
    valid_from: DateTime | UnsetType = field(default=UNSET, name="validFrom")
    valid_to: DateTime | UnsetType = field(default=UNSET, name="validTo")


class RemoteStartTransactionRequest(Message):
    id_tag: Annotated[str, Meta(max_length=20)] = field(name="idTag")
    connector_id: int | UnsetType = field(default=UNSET, name="connectorId")
    charging_profile: ChargingProfile | UnsetType = field(default=UNSET, name="chargingProfile")


RemoteStartTransactionStatusEnum = Literal["Accepted", "Rejected"]


class RemoteStartTransactionResponse(Message):
    status: RemoteStartTransactionStatusEnum


class RemoteStopTransactionRequest(Message):
    transaction_id: int = field(name="transactionId")


RemoteStopTransactionStatusEnum = Literal["Accepted", "Rejected"]


class RemoteStopTransactionResponse(Message):
    status: RemoteStopTransactionStatusEnum


class ReserveNowRequest(Message):
    connector_id: int = field(name="connectorId")
    expiry_date: DateTime = field(name="expiryDate")
    id_tag: Annotated[str, Meta(max_length=20)] = field(name="idTag")
    reservation_id: int = field(name="reservationId")
    parent_id_tag: Annotated[str, Meta(max_length=20)] | UnsetType = field(default=UNSET, name="parentIdTag")


ReserveNowStatusEnum = Literal["Accepted", "Faulted", "Occupied", "Rejected", "Unavailable"]


class ReserveNowResponse(Message):
    status: ReserveNowStatusEnum


ResetTypeEnum = Literal["Hard", "Soft"]


class ResetRequest(Message):
    type: ResetTypeEnum


ResetStatusEnum = Literal["Accepted", "Rejected"]


class ResetResponse(Message):
    status: ResetStatusEnum


class SecurityEventNotificationRequest(Message):
    type: Annotated[str, Meta(max_length=50)]
    timestamp: DateTime
    tech_info: Annotated[str, Meta(max_length=255)] | UnsetType = field(default=UNSET, name="techInfo")


class SecurityEventNotificationResponse(Message):
    pass


class LocalAuthorizationList(Message):
    id_tag: Annotated[str, Meta(max_length=20)] = field(name="idTag")
    id_tag_info: IdTagInfo | UnsetType = field(default=UNSET, name="idTagInfo")


UpdateTypeEnum = Literal["Differential", "Full"]


class SendLocalListRequest(Message):
    list_version: int = field(name="listVersion")
    update_type: UpdateTypeEnum = field(name="updateType")
    local_authorization_list: list[LocalAuthorizationList] | UnsetType = field(default=UNSET, name="localAuthorizationList")


SendLocalListStatusEnum = Literal["Accepted", "Failed", "NotSupported", "VersionMismatch"]


class SendLocalListResponse(Message):
    status: SendLocalListStatusEnum


class CsChargingProfiles(Message):
    charging_profile_id: int = field(name="chargingProfileId")
    stack_level: int = field(name="stackLevel")
    charging_profile_purpose: ChargingProfilePurposeEnum = field(name="chargingProfilePurpose")
    charging_profile_kind: ChargingProfileKindEnum = field(name="chargingProfileKind")
    charging_schedule: ChargingSchedule = field(name="chargingSchedule")
    transaction_id: int | UnsetType = field(default=UNSET, name="transactionId")
    recurrency_kind: RecurrencyKindEnum | UnsetType = field(default=UNSET, name="recurrencyKind")
    valid_from: DateTime | UnsetType = field(default=UNSET, name="validFrom")
    valid_to: DateTime | UnsetType = field(default=UNSET, name="validTo")


class SetChargingProfileRequest(Message):
    connector_id: int = field(name="connectorId")
    cs_charging_profiles: CsChargingProfiles = field(name="csChargingProfiles")


SetChargingProfileStatusEnum = Literal["Accepted", "Rejected", "NotSupported"]


class SetChargingProfileResponse(Message):
    status: SetChargingProfileStatusEnum


class SignCertificateRequest(Message):
    csr: Annotated[str, Meta(max_length=5500)]


GenericStatusEnumType = Literal["Accepted", "Rejected"]


class SignCertificateResponse(Message):
    status: GenericStatusEnumType


FirmwareStatusEnumType = Literal["Downloaded", "DownloadFailed", "Downloading", "DownloadScheduled", "DownloadPaused", "Idle", "InstallationFailed", "Installing", "Installed", "InstallRebooting", "InstallScheduled", "InstallVerificationFailed", "InvalidSignature", "SignatureVerified"]


class SignedFirmwareStatusNotificationRequest(Message):
    status: FirmwareStatusEnumType
    request_id: int | UnsetType = field(default=UNSET, name="requestId")


class SignedFirmwareStatusNotificationResponse(Message):
    pass


class FirmwareType(Message):
    location: Annotated[str, Meta(max_length=512)]
    retrieve_date_time: DateTime = field(name="retrieveDateTime")
    signing_certificate: Annotated[str, Meta(max_length=5500)] = field(name="signingCertificate")
    signature: Annotated[str, Meta(max_length=800)]
    install_date_time: DateTime | UnsetType = field(default=UNSET, name="installDateTime")


class SignedUpdateFirmwareRequest(Message):
    request_id: int = field(name="requestId")
    firmware: FirmwareType
    retries: int | UnsetType = field(default=UNSET, name="retries")
    retry_interval: int | UnsetType = field(default=UNSET, name="retryInterval")


UpdateFirmwareStatusEnumType = Literal["Accepted", "Rejected", "AcceptedCanceled", "InvalidCertificate", "RevokedCertificate"]


class SignedUpdateFirmwareResponse(Message):
    status: UpdateFirmwareStatusEnumType


class StartTransactionRequest(Message):
    connector_id: int = field(name="connectorId")
    id_tag: Annotated[str, Meta(max_length=20)] = field(name="idTag")
    meter_start: int = field(name="meterStart")
    timestamp: DateTime
    reservation_id: int | UnsetType = field(default=UNSET, name="reservationId")


class StartTransactionResponse(Message):
    id_tag_info: IdTagInfo = field(name="idTagInfo")
    transaction_id: int = field(name="transactionId")


ErrorCodeEnum = Literal["ConnectorLockFailure", "EVCommunicationError", "GroundFailure", "HighTemperature", "InternalError", "LocalListConflict", "NoError", "OtherError", "OverCurrentFailure", "PowerMeterFailure", "PowerSwitchFailure", "ReaderFailure", "ResetFailure", "UnderVoltage", "OverVoltage", "WeakSignal"]


StatusNotificationStatusEnum = Literal["Available", "Preparing", "Charging", "SuspendedEVSE", "SuspendedEV", "Finishing", "Reserved", "Unavailable", "Faulted"]


class StatusNotificationRequest(Message):
    connector_id: int = field(name="connectorId")
    error_code: ErrorCodeEnum = field(name="errorCode")
    status: StatusNotificationStatusEnum
    info: Annotated[str, Meta(max_length=50)] | UnsetType = field(default=UNSET, name="info")
    timestamp: DateTime | UnsetType = field(default=UNSET, name="timestamp")
    vendor_id: Annotated[str, Meta(max_length=255)] | UnsetType = field(default=UNSET, name="vendorId")
    vendor_error_code: Annotated[str, Meta(max_length=50)] | UnsetType = field(default=UNSET, name="vendorErrorCode")


class StatusNotificationResponse(Message):
    pass


ReasonEnum = Literal["EmergencyStop", "EVDisconnected", "HardReset", "Local", "Other", "PowerLoss", "Reboot", "Remote", "SoftReset", "UnlockCommand", "DeAuthorized"]


StopTransactionUnitEnum = Literal["Wh", "kWh", "varh", "kvarh", "W", "kW", "VA", "kVA", "var", "kvar", "A", "V", "K", "Celcius", "Celsius", "Fahrenheit", "Percent"]


class StopTransactionSampledValue(Message):
    value: str
    context: ContextEnum | UnsetType = field(default=UNSET, name="context")
    format: FormatEnum | UnsetType = field(default=UNSET, name="format")
    measurand: MeasurandEnum | UnsetType = field(default=UNSET, name="measurand")
    phase: PhaseEnum | UnsetType = field(default=UNSET, name="phase")
    location: LocationEnum | UnsetType = field(default=UNSET, name="location")
    unit: StopTransactionUnitEnum | UnsetType = field(default=UNSET, name="unit")


class TransactionData(Message):
    timestamp: DateTime
    sampled_value: list[StopTransactionSampledValue] = field(name="sampledValue")


class StopTransactionRequest(Message):
    meter_stop: int = field(name="meterStop")
    timestamp: DateTime
    transaction_id: int = field(name="transactionId")
    id_tag: Annotated[str, Meta(max_length=20)] | UnsetType = field(default=UNSET, name="idTag")
    reason: ReasonEnum | UnsetType = field(default=UNSET, name="reason")
    transaction_data: list[TransactionData] | UnsetType = field(default=UNSET, name="transactionData")


class StopTransactionResponse(Message):
    id_tag_info: IdTagInfo | UnsetType = field(default=UNSET, name="idTagInfo")


RequestedMessageEnum = Literal["BootNotification", "DiagnosticsStatusNotification", "FirmwareStatusNotification", "Heartbeat", "MeterValues", "StatusNotification"]


class TriggerMessageRequest(Message):
    requested_message: RequestedMessageEnum = field(name="requestedMessage")
    connector_id: int | UnsetType = field(default=UNSET, name="connectorId")


TriggerMessageStatusEnum = Literal["Accepted", "Rejected", "NotImplemented"]


class TriggerMessageResponse(Message):
    status: TriggerMessageStatusEnum


class UnlockConnectorRequest(Message):
    connector_id: int = field(name="connectorId")


UnlockConnectorStatusEnum = Literal["Unlocked", "UnlockFailed", "NotSupported"]


class UnlockConnectorResponse(Message):
    status: UnlockConnectorStatusEnum


class UpdateFirmwareRequest(Message):
    location: str
    retrieve_date: DateTime = field(name="retrieveDate")
    retries: int | UnsetType = field(default=UNSET, name="retries")
    retry_interval: int | UnsetType = field(default=UNSET, name="retryInterval")


class UpdateFirmwareResponse(Message):
    pass
