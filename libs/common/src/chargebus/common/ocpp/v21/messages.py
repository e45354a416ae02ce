"""OCPP 2.1 messages, generated from the OCA JSON schemas.

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
    "AFRRSignalRequest",
    "AFRRSignalResponse",
    "APNAuthenticationEnumType",
    "APNType",
    "AbsolutePriceScheduleType",
    "AdditionalInfoType",
    "AdditionalSelectedServicesType",
    "AddressType",
    "AdjustPeriodicEventStreamRequest",
    "AdjustPeriodicEventStreamResponse",
    "AttributeEnumType",
    "AuthorizationData",
    "AuthorizationStatusEnumType",
    "AuthorizeCertificateStatusEnumType",
    "AuthorizeRequest",
    "AuthorizeResponse",
    "BatteryDataType",
    "BatterySwapEventEnumType",
    "BatterySwapRequest",
    "BatterySwapResponse",
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
    "CertificateStatusEnumType",
    "CertificateStatusRequestInfoType",
    "CertificateStatusSourceEnumType",
    "CertificateStatusType",
    "ChangeAvailabilityRequest",
    "ChangeAvailabilityResponse",
    "ChangeAvailabilityStatusEnumType",
    "ChangeTransactionTariffRequest",
    "ChangeTransactionTariffResponse",
    "ChargingLimitType",
    "ChargingNeedsType",
    "ChargingPeriodType",
    "ChargingProfileCriterionType",
    "ChargingProfileKindEnumType",
    "ChargingProfilePurposeEnumType",
    "ChargingProfileStatusEnumType",
    "ChargingProfileType",
    "ChargingRateUnitEnumType",
    "ChargingSchedulePeriodType",
    "ChargingScheduleType",
    "ChargingScheduleUpdateType",
    "ChargingStateEnumType",
    "ChargingStationType",
    "ClearCacheRequest",
    "ClearCacheResponse",
    "ClearCacheStatusEnumType",
    "ClearChargingProfileRequest",
    "ClearChargingProfileResponse",
    "ClearChargingProfileStatusEnumType",
    "ClearChargingProfileType",
    "ClearDERControlRequest",
    "ClearDERControlResponse",
    "ClearDisplayMessageRequest",
    "ClearDisplayMessageResponse",
    "ClearMessageStatusEnumType",
    "ClearMonitoringResultType",
    "ClearMonitoringStatusEnumType",
    "ClearTariffsRequest",
    "ClearTariffsResponse",
    "ClearTariffsResultType",
    "ClearVariableMonitoringRequest",
    "ClearVariableMonitoringResponse",
    "ClearedChargingLimitRequest",
    "ClearedChargingLimitResponse",
    "ClosePeriodicEventStreamRequest",
    "ClosePeriodicEventStreamResponse",
    "ComponentCriterionEnumType",
    "ComponentType",
    "ComponentVariableType",
    "CompositeScheduleType",
    "ConnectorStatusEnumType",
    "ConstantStreamDataType",
    "ConsumptionCostType",
    "ControlModeEnumType",
    "CostDetailsType",
    "CostDimensionEnumType",
    "CostDimensionType",
    "CostKindEnumType",
    "CostType",
    "CostUpdatedRequest",
    "CostUpdatedResponse",
    "CustomDataType",
    "CustomerInformationRequest",
    "CustomerInformationResponse",
    "CustomerInformationStatusEnumType",
    "DCChargingParametersType",
    "DERChargingParametersType",
    "DERControlEnumType",
    "DERControlStatusEnumType",
    "DERCurveGetType",
    "DERCurvePointsType",
    "DERCurveType",
    "DERUnitEnumType",
    "DataEnumType",
    "DataTransferRequest",
    "DataTransferResponse",
    "DataTransferStatusEnumType",
    "DayOfWeekEnumType",
    "DeleteCertificateRequest",
    "DeleteCertificateResponse",
    "DeleteCertificateStatusEnumType",
    "DisplayMessageStatusEnumType",
    "EVAbsolutePriceScheduleEntryType",
    "EVAbsolutePriceScheduleType",
    "EVEnergyOfferType",
    "EVPowerScheduleEntryType",
    "EVPowerScheduleType",
    "EVPriceRuleType",
    "EVSEType",
    "EnergyTransferModeEnumType",
    "EnterServiceGetType",
    "EnterServiceType",
    "EventDataType",
    "EventNotificationEnumType",
    "EventTriggerEnumType",
    "EvseKindEnumType",
    "FirmwareStatusEnumType",
    "FirmwareStatusNotificationRequest",
    "FirmwareStatusNotificationResponse",
    "FirmwareType",
    "FixedPFGetType",
    "FixedPFType",
    "FixedVarGetType",
    "FixedVarType",
    "FreqDroopGetType",
    "FreqDroopType",
    "GenericDeviceModelStatusEnumType",
    "GenericStatusEnumType",
    "Get15118EVCertificateRequest",
    "Get15118EVCertificateResponse",
    "GetBaseReportRequest",
    "GetBaseReportResponse",
    "GetCertificateChainStatusRequest",
    "GetCertificateChainStatusResponse",
    "GetCertificateIdUseEnumType",
    "GetCertificateStatusEnumType",
    "GetCertificateStatusRequest",
    "GetCertificateStatusResponse",
    "GetChargingProfileStatusEnumType",
    "GetChargingProfilesRequest",
    "GetChargingProfilesResponse",
    "GetCompositeScheduleRequest",
    "GetCompositeScheduleResponse",
    "GetDERControlRequest",
    "GetDERControlResponse",
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
    "GetPeriodicEventStreamRequest",
    "GetPeriodicEventStreamResponse",
    "GetReportRequest",
    "GetReportResponse",
    "GetTariffsRequest",
    "GetTariffsResponse",
    "GetTransactionStatusRequest",
    "GetTransactionStatusResponse",
    "GetVariableDataType",
    "GetVariableResultType",
    "GetVariableStatusEnumType",
    "GetVariablesRequest",
    "GetVariablesResponse",
    "GradientGetType",
    "GradientType",
    "GridEventFaultEnumType",
    "HashAlgorithmEnumType",
    "HeartbeatRequest",
    "HeartbeatResponse",
    "HysteresisType",
    "IdTokenInfoType",
    "IdTokenType",
    "InstallCertificateRequest",
    "InstallCertificateResponse",
    "InstallCertificateStatusEnumType",
    "InstallCertificateUseEnumType",
    "IslandingDetectionEnumType",
    "Iso15118EVCertificateStatusEnumType",
    "LimitAtSoCType",
    "LimitMaxDischargeGetType",
    "LimitMaxDischargeType",
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
    "MobilityNeedsModeEnumType",
    "ModemType",
    "MonitorEnumType",
    "MonitoringBaseEnumType",
    "MonitoringCriterionEnumType",
    "MonitoringDataType",
    "MutabilityEnumType",
    "NetworkConnectionProfileType",
    "NotifyAllowedEnergyTransferRequest",
    "NotifyAllowedEnergyTransferResponse",
    "NotifyAllowedEnergyTransferStatusEnumType",
    "NotifyChargingLimitRequest",
    "NotifyChargingLimitResponse",
    "NotifyCustomerInformationRequest",
    "NotifyCustomerInformationResponse",
    "NotifyDERAlarmRequest",
    "NotifyDERAlarmResponse",
    "NotifyDERStartStopRequest",
    "NotifyDERStartStopResponse",
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
    "NotifyPeriodicEventStreamRequest",
    "NotifyPriorityChargingRequest",
    "NotifyPriorityChargingResponse",
    "NotifyReportRequest",
    "NotifyReportResponse",
    "NotifySettlementRequest",
    "NotifySettlementResponse",
    "NotifyWebPaymentStartedRequest",
    "NotifyWebPaymentStartedResponse",
    "OCPPInterfaceEnumType",
    "OCPPTransportEnumType",
    "OCPPVersionEnumType",
    "OCSPRequestDataType",
    "OpenPeriodicEventStreamRequest",
    "OpenPeriodicEventStreamResponse",
    "OperationModeEnumType",
    "OperationalStatusEnumType",
    "OverstayRuleListType",
    "OverstayRuleType",
    "PaymentStatusEnumType",
    "PeriodicEventStreamParamsType",
    "PhaseEnumType",
    "PowerDuringCessationEnumType",
    "PreconditioningStatusEnumType",
    "PriceLevelScheduleEntryType",
    "PriceLevelScheduleType",
    "PriceRuleStackType",
    "PriceRuleType",
    "PriceType",
    "PriorityChargingStatusEnumType",
    "PublishFirmwareRequest",
    "PublishFirmwareResponse",
    "PublishFirmwareStatusEnumType",
    "PublishFirmwareStatusNotificationRequest",
    "PublishFirmwareStatusNotificationResponse",
    "PullDynamicScheduleUpdateRequest",
    "PullDynamicScheduleUpdateResponse",
    "RationalNumberType",
    "ReactivePowerParamsType",
    "ReadingContextEnumType",
    "ReasonEnumType",
    "RecurrencyKindEnumType",
    "RegistrationStatusEnumType",
    "RelativeTimeIntervalType",
    "ReportBaseEnumType",
    "ReportChargingProfilesRequest",
    "ReportChargingProfilesResponse",
    "ReportDERControlRequest",
    "ReportDERControlResponse",
    "ReportDataType",
    "RequestBatterySwapRequest",
    "RequestBatterySwapResponse",
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
    "SetDERControlRequest",
    "SetDERControlResponse",
    "SetDefaultTariffRequest",
    "SetDefaultTariffResponse",
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
    "StreamDataElementType",
    "TariffAssignmentType",
    "TariffChangeStatusEnumType",
    "TariffClearStatusEnumType",
    "TariffConditionsFixedType",
    "TariffConditionsType",
    "TariffCostEnumType",
    "TariffEnergyPriceType",
    "TariffEnergyType",
    "TariffFixedPriceType",
    "TariffFixedType",
    "TariffGetStatusEnumType",
    "TariffKindEnumType",
    "TariffSetStatusEnumType",
    "TariffTimePriceType",
    "TariffTimeType",
    "TariffType",
    "TaxRateType",
    "TaxRuleType",
    "TotalCostType",
    "TotalPriceType",
    "TotalUsageType",
    "TransactionEventEnumType",
    "TransactionEventRequest",
    "TransactionEventResponse",
    "TransactionLimitType",
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
    "UpdateDynamicScheduleRequest",
    "UpdateDynamicScheduleResponse",
    "UpdateEnumType",
    "UpdateFirmwareRequest",
    "UpdateFirmwareResponse",
    "UpdateFirmwareStatusEnumType",
    "UploadLogStatusEnumType",
    "UsePriorityChargingRequest",
    "UsePriorityChargingResponse",
    "V2XChargingParametersType",
    "V2XFreqWattPointType",
    "V2XSignalWattPointType",
    "VPNEnumType",
    "VPNType",
    "VariableAttributeType",
    "VariableCharacteristicsType",
    "VariableMonitoringType",
    "VariableType",
    "VatNumberValidationRequest",
    "VatNumberValidationResponse",
    "VoltageParamsType",
]


class CustomDataType(OpenMessage):
    "This class does not get 'AdditionalProperties = false' in the schema generation, so it can be extended with arbitrary JSON properties to allow adding custom data."

    vendor_id: Annotated[str, Meta(max_length=255)] = field(name="vendorId")


class AFRRSignalRequest(Message):
    timestamp: DateTime
    signal: int
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


GenericStatusEnumType = Literal["Accepted", "Rejected"]


class StatusInfoType(Message):
    "Element providing more information about the status."

    reason_code: Annotated[str, Meta(max_length=20)] = field(name="reasonCode")
    additional_info: Annotated[str, Meta(max_length=1024)] | UnsetType = field(default=UNSET, name="additionalInfo")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class AFRRSignalResponse(Message):
    status: GenericStatusEnumType
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class PeriodicEventStreamParamsType(Message):
    interval: Annotated[int, Meta(ge=0)] | UnsetType = field(default=UNSET, name="interval")
    values: Annotated[int, Meta(ge=0)] | UnsetType = field(default=UNSET, name="values")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class AdjustPeriodicEventStreamRequest(Message):
    id: Annotated[int, Meta(ge=0)]
    params: PeriodicEventStreamParamsType
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class AdjustPeriodicEventStreamResponse(Message):
    status: GenericStatusEnumType
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class AdditionalInfoType(Message):
    "Contains a case insensitive identifier to use for the authorization and the type of authorization to support multiple forms of identifiers."

    additional_id_token: Annotated[str, Meta(max_length=255)] = field(name="additionalIdToken")
    type: Annotated[str, Meta(max_length=50)]
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class IdTokenType(Message):
    "Contains a case insensitive identifier to use for the authorization and the type of authorization to support multiple forms of identifiers."

    id_token: Annotated[str, Meta(max_length=255)] = field(name="idToken")
    type: Annotated[str, Meta(max_length=20)]
    additional_info: Annotated[list[AdditionalInfoType], Meta(min_length=1)] | UnsetType = field(default=UNSET, name="additionalInfo")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


HashAlgorithmEnumType = Literal["SHA256", "SHA384", "SHA512"]


class OCSPRequestDataType(Message):
    "Information about a certificate for an OCSP check."

    hash_algorithm: HashAlgorithmEnumType = field(name="hashAlgorithm")
    issuer_name_hash: Annotated[str, Meta(max_length=128)] = field(name="issuerNameHash")
    issuer_key_hash: Annotated[str, Meta(max_length=128)] = field(name="issuerKeyHash")
    serial_number: Annotated[str, Meta(max_length=40)] = field(name="serialNumber")
    responder_url: Annotated[str, Meta(max_length=2000)] = field(name="responderURL")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class AuthorizeRequest(Message):
    id_token: IdTokenType = field(name="idToken")
    certificate: Annotated[str, Meta(max_length=10000)] | UnsetType = field(default=UNSET, name="certificate")
    iso15118_certificate_hash_data: Annotated[list[OCSPRequestDataType], Meta(min_length=1, max_length=4)] | UnsetType = field(default=UNSET, name="iso15118CertificateHashData")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


AuthorizationStatusEnumType = Literal["Accepted", "Blocked", "ConcurrentTx", "Expired", "Invalid", "NoCredit", "NotAllowedTypeEVSE", "NotAtThisLocation", "NotAtThisTime", "Unknown"]


MessageFormatEnumType = Literal["ASCII", "HTML", "URI", "UTF8", "QRCODE"]


class MessageContentType(Message):
    "Contains message details, for a message to be displayed on a Charging Station."

    format: MessageFormatEnumType
    content: Annotated[str, Meta(max_length=1024)]
    language: Annotated[str, Meta(max_length=8)] | UnsetType = field(default=UNSET, name="language")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class IdTokenInfoType(Message):
    "Contains status information about an identifier. It is advised to not stop charging for a token that expires during charging, as ExpiryDate is only used for caching purposes. If ExpiryDate is not given, the status has no end date."

    status: AuthorizationStatusEnumType
    cache_expiry_date_time: DateTime | UnsetType = field(default=UNSET, name="cacheExpiryDateTime")
    charging_priority: int | UnsetType = field(default=UNSET, name="chargingPriority")
    group_id_token: IdTokenType | UnsetType = field(default=UNSET, name="groupIdToken")
    language1: Annotated[str, Meta(max_length=8)] | UnsetType = field(default=UNSET, name="language1")
    language2: Annotated[str, Meta(max_length=8)] | UnsetType = field(default=UNSET, name="language2")
    evse_id: Annotated[list[Annotated[int, Meta(ge=0)]], Meta(min_length=1)] | UnsetType = field(default=UNSET, name="evseId")
    personal_message: MessageContentType | UnsetType = field(default=UNSET, name="personalMessage")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


AuthorizeCertificateStatusEnumType = Literal["Accepted", "SignatureError", "CertificateExpired", "CertificateRevoked", "NoCertificateAvailable", "CertChainError", "ContractCancelled"]


EnergyTransferModeEnumType = Literal["AC_single_phase", "AC_two_phase", "AC_three_phase", "DC", "AC_BPT", "AC_BPT_DER", "AC_DER", "DC_BPT", "DC_ACDP", "DC_ACDP_BPT", "WPT"]


DayOfWeekEnumType = Literal["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


EvseKindEnumType = Literal["AC", "DC"]


class TariffConditionsType(Message):
    "These conditions describe if and when a TariffEnergyType or TariffTimeType applies during a transaction.  When more than one restriction is set, they are to be treated as a logical AND. All need to be valid before this price is active.  For reverse energy flow (discharging) negative values of energy"

    start_time_of_day: str | UnsetType = field(default=UNSET, name="startTimeOfDay")
    end_time_of_day: str | UnsetType = field(default=UNSET, name="endTimeOfDay")
    day_of_week: Annotated[list[DayOfWeekEnumType], Meta(min_length=1, max_length=7)] | UnsetType = field(default=UNSET, name="dayOfWeek")
    valid_from_date: str | UnsetType = field(default=UNSET, name="validFromDate")
    valid_to_date: str | UnsetType = field(default=UNSET, name="validToDate")
    evse_kind: EvseKindEnumType | UnsetType = field(default=UNSET, name="evseKind")
    min_energy: float | UnsetType = field(default=UNSET, name="minEnergy")
    max_energy: float | UnsetType = field(default=UNSET, name="maxEnergy")
    min_current: float | UnsetType = field(default=UNSET, name="minCurrent")
    max_current: float | UnsetType = field(default=UNSET, name="maxCurrent")
    min_power: float | UnsetType = field(default=UNSET, name="minPower")
    max_power: float | UnsetType = field(default=UNSET, name="maxPower")
    min_time: int | UnsetType = field(default=UNSET, name="minTime")
    max_time: int | UnsetType = field(default=UNSET, name="maxTime")
    min_charging_time: int | UnsetType = field(default=UNSET, name="minChargingTime")
    max_charging_time: int | UnsetType = field(default=UNSET, name="maxChargingTime")
    min_idle_time: int | UnsetType = field(default=UNSET, name="minIdleTime")
    max_idle_time: int | UnsetType = field(default=UNSET, name="maxIdleTime")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class TariffEnergyPriceType(Message):
    "Tariff with optional conditions for an energy price."

    price_kwh: float = field(name="priceKwh")
    conditions: TariffConditionsType | UnsetType = field(default=UNSET, name="conditions")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class TaxRateType(Message):
    "Tax percentage"

    type: Annotated[str, Meta(max_length=20)]
    tax: float
    stack: Annotated[int, Meta(ge=0)] | UnsetType = field(default=UNSET, name="stack")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class TariffEnergyType(Message):
    "Price elements and tax for energy"

    prices: Annotated[list[TariffEnergyPriceType], Meta(min_length=1)]
    tax_rates: Annotated[list[TaxRateType], Meta(min_length=1, max_length=5)] | UnsetType = field(default=UNSET, name="taxRates")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class TariffTimePriceType(Message):
    "Tariff with optional conditions for a time duration price."

    price_minute: float = field(name="priceMinute")
    conditions: TariffConditionsType | UnsetType = field(default=UNSET, name="conditions")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class TariffTimeType(Message):
    "Price elements and tax for time"

    prices: Annotated[list[TariffTimePriceType], Meta(min_length=1)]
    tax_rates: Annotated[list[TaxRateType], Meta(min_length=1, max_length=5)] | UnsetType = field(default=UNSET, name="taxRates")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class TariffConditionsFixedType(Message):
    "These conditions describe if a FixedPrice applies at start of the transaction.  When more than one restriction is set, they are to be treated as a logical AND. All need to be valid before this price is active.  NOTE: _startTimeOfDay_ and _endTimeOfDay_ are in local time, because it is the time in th"

    start_time_of_day: str | UnsetType = field(default=UNSET, name="startTimeOfDay")
    end_time_of_day: str | UnsetType = field(default=UNSET, name="endTimeOfDay")
    day_of_week: Annotated[list[DayOfWeekEnumType], Meta(min_length=1, max_length=7)] | UnsetType = field(default=UNSET, name="dayOfWeek")
    valid_from_date: str | UnsetType = field(default=UNSET, name="validFromDate")
    valid_to_date: str | UnsetType = field(default=UNSET, name="validToDate")
    evse_kind: EvseKindEnumType | UnsetType = field(default=UNSET, name="evseKind")
    payment_brand: Annotated[str, Meta(max_length=20)] | UnsetType = field(default=UNSET, name="paymentBrand")
    payment_recognition: Annotated[str, Meta(max_length=20)] | UnsetType = field(default=UNSET, name="paymentRecognition")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class TariffFixedPriceType(Message):
    "Tariff with optional conditions for a fixed price."

    price_fixed: float = field(name="priceFixed")
    conditions: TariffConditionsFixedType | UnsetType = field(default=UNSET, name="conditions")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class TariffFixedType(Message):
    prices: Annotated[list[TariffFixedPriceType], Meta(min_length=1)]
    tax_rates: Annotated[list[TaxRateType], Meta(min_length=1, max_length=5)] | UnsetType = field(default=UNSET, name="taxRates")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class PriceType(Message):
    "Price with and without tax. At least one of _exclTax_, _inclTax_ must be present."

    excl_tax: float | UnsetType = field(default=UNSET, name="exclTax")
    incl_tax: float | UnsetType = field(default=UNSET, name="inclTax")
    tax_rates: Annotated[list[TaxRateType], Meta(min_length=1, max_length=5)] | UnsetType = field(default=UNSET, name="taxRates")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class TariffType(Message):
    "A tariff is described by fields with prices for: energy, charging time, idle time, fixed fee, reservation time, reservation fixed fee. + Each of these fields may have (optional) conditions that specify when a price is applicable. + The _description_ contains a human-readable explanation of the tarif"

    tariff_id: Annotated[str, Meta(max_length=60)] = field(name="tariffId")
    currency: Annotated[str, Meta(max_length=3)]
    description: Annotated[list[MessageContentType], Meta(min_length=1, max_length=10)] | UnsetType = field(default=UNSET, name="description")
    energy: TariffEnergyType | UnsetType = field(default=UNSET, name="energy")
    valid_from: DateTime | UnsetType = field(default=UNSET, name="validFrom")
    charging_time: TariffTimeType | UnsetType = field(default=UNSET, name="chargingTime")
    idle_time: TariffTimeType | UnsetType = field(default=UNSET, name="idleTime")
    fixed_fee: TariffFixedType | UnsetType = field(default=UNSET, name="fixedFee")
    reservation_time: TariffTimeType | UnsetType = field(default=UNSET, name="reservationTime")
    reservation_fixed: TariffFixedType | UnsetType = field(default=UNSET, name="reservationFixed")
    min_cost: PriceType | UnsetType = field(default=UNSET, name="minCost")
    max_cost: PriceType | UnsetType = field(default=UNSET, name="maxCost")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class AuthorizeResponse(Message):
    id_token_info: IdTokenInfoType = field(name="idTokenInfo")
    certificate_status: AuthorizeCertificateStatusEnumType | UnsetType = field(default=UNSET, name="certificateStatus")
    allowed_energy_transfer: Annotated[list[EnergyTransferModeEnumType], Meta(min_length=1)] | UnsetType = field(default=UNSET, name="allowedEnergyTransfer")
    tariff: TariffType | UnsetType = field(default=UNSET, name="tariff")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class BatteryDataType(Message):
    evse_id: Annotated[int, Meta(ge=0)] = field(name="evseId")
    serial_number: Annotated[str, Meta(max_length=50)] = field(name="serialNumber")
    so_c: Annotated[float, Meta(ge=0.0, le=100.0)] = field(name="soC")
    so_h: Annotated[float, Meta(ge=0.0, le=100.0)] = field(name="soH")
    production_date: DateTime | UnsetType = field(default=UNSET, name="productionDate")
    vendor_info: Annotated[str, Meta(max_length=500)] | UnsetType = field(default=UNSET, name="vendorInfo")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


BatterySwapEventEnumType = Literal["BatteryIn", "BatteryOut", "BatteryOutTimeout"]


class BatterySwapRequest(Message):
    battery_data: Annotated[list[BatteryDataType], Meta(min_length=1)] = field(name="batteryData")
    event_type: BatterySwapEventEnumType = field(name="eventType")
    id_token: IdTokenType = field(name="idToken")
    request_id: int = field(name="requestId")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class BatterySwapResponse(Message):
    "This is an empty response that just acknowledges receipt of the request. (The request cannot be rejected)."

    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class ModemType(Message):
    "Defines parameters required for initiating and maintaining wireless communication with other devices."

    iccid: Annotated[str, Meta(max_length=20)] | UnsetType = field(default=UNSET, name="iccid")
    imsi: Annotated[str, Meta(max_length=20)] | UnsetType = field(default=UNSET, name="imsi")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class ChargingStationType(Message):
    "The physical system where an Electrical Vehicle (EV) can be charged."

    model: Annotated[str, Meta(max_length=20)]
    vendor_name: Annotated[str, Meta(max_length=50)] = field(name="vendorName")
    serial_number: Annotated[str, Meta(max_length=25)] | UnsetType = field(default=UNSET, name="serialNumber")
    modem: ModemType | UnsetType = field(default=UNSET, name="modem")
    firmware_version: Annotated[str, Meta(max_length=50)] | UnsetType = field(default=UNSET, name="firmwareVersion")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


BootReasonEnumType = Literal["ApplicationReset", "FirmwareUpdate", "LocalReset", "PowerUp", "RemoteReset", "ScheduledReset", "Triggered", "Unknown", "Watchdog"]


class BootNotificationRequest(Message):
    charging_station: ChargingStationType = field(name="chargingStation")
    reason: BootReasonEnumType
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


RegistrationStatusEnumType = Literal["Accepted", "Pending", "Rejected"]


class BootNotificationResponse(Message):
    current_time: DateTime = field(name="currentTime")
    interval: int
    status: RegistrationStatusEnumType
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class CancelReservationRequest(Message):
    reservation_id: Annotated[int, Meta(ge=0)] = field(name="reservationId")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


CancelReservationStatusEnumType = Literal["Accepted", "Rejected"]


class CancelReservationResponse(Message):
    status: CancelReservationStatusEnumType
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


CertificateSigningUseEnumType = Literal["ChargingStationCertificate", "V2GCertificate", "V2G20Certificate"]


class CertificateSignedRequest(Message):
    certificate_chain: Annotated[str, Meta(max_length=10000)] = field(name="certificateChain")
    certificate_type: CertificateSigningUseEnumType | UnsetType = field(default=UNSET, name="certificateType")
    request_id: int | UnsetType = field(default=UNSET, name="requestId")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


CertificateSignedStatusEnumType = Literal["Accepted", "Rejected"]


class CertificateSignedResponse(Message):
    status: CertificateSignedStatusEnumType
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class EVSEType(Message):
    "Electric Vehicle Supply Equipment"

    id: Annotated[int, Meta(ge=0)]
    connector_id: Annotated[int, Meta(ge=0)] | UnsetType = field(default=UNSET, name="connectorId")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


OperationalStatusEnumType = Literal["Inoperative", "Operative"]


class ChangeAvailabilityRequest(Message):
    operational_status: OperationalStatusEnumType = field(name="operationalStatus")
    evse: EVSEType | UnsetType = field(default=UNSET, name="evse")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


ChangeAvailabilityStatusEnumType = Literal["Accepted", "Rejected", "Scheduled"]


class ChangeAvailabilityResponse(Message):
    status: ChangeAvailabilityStatusEnumType
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class ChangeTransactionTariffRequest(Message):
    tariff: TariffType
    transaction_id: Annotated[str, Meta(max_length=36)] = field(name="transactionId")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


TariffChangeStatusEnumType = Literal["Accepted", "Rejected", "TooManyElements", "ConditionNotSupported", "TxNotFound", "NoCurrencyChange"]


class ChangeTransactionTariffResponse(Message):
    status: TariffChangeStatusEnumType
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class ClearCacheRequest(Message):
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


ClearCacheStatusEnumType = Literal["Accepted", "Rejected"]


class ClearCacheResponse(Message):
    status: ClearCacheStatusEnumType
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


ChargingProfilePurposeEnumType = Literal["ChargingStationExternalConstraints", "ChargingStationMaxProfile", "TxDefaultProfile", "TxProfile", "PriorityCharging", "LocalGeneration"]


class ClearChargingProfileType(Message):
    "A ClearChargingProfileType is a filter for charging profiles to be cleared by ClearChargingProfileRequest."

    evse_id: Annotated[int, Meta(ge=0)] | UnsetType = field(default=UNSET, name="evseId")
    charging_profile_purpose: ChargingProfilePurposeEnumType | UnsetType = field(default=UNSET, name="chargingProfilePurpose")
    stack_level: Annotated[int, Meta(ge=0)] | UnsetType = field(default=UNSET, name="stackLevel")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class ClearChargingProfileRequest(Message):
    charging_profile_id: int | UnsetType = field(default=UNSET, name="chargingProfileId")
    charging_profile_criteria: ClearChargingProfileType | UnsetType = field(default=UNSET, name="chargingProfileCriteria")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


ClearChargingProfileStatusEnumType = Literal["Accepted", "Unknown"]


class ClearChargingProfileResponse(Message):
    status: ClearChargingProfileStatusEnumType
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


DERControlEnumType = Literal["EnterService", "FreqDroop", "FreqWatt", "FixedPFAbsorb", "FixedPFInject", "FixedVar", "Gradients", "HFMustTrip", "HFMayTrip", "HVMustTrip", "HVMomCess", "HVMayTrip", "LimitMaxDischarge", "LFMustTrip", "LVMustTrip", "LVMomCess", "LVMayTrip", "PowerMonitoringMustTrip", "VoltVar", "VoltWatt", "WattPF", "WattVar"]


class ClearDERControlRequest(Message):
    is_default: bool = field(name="isDefault")
    control_type: DERControlEnumType | UnsetType = field(default=UNSET, name="controlType")
    control_id: Annotated[str, Meta(max_length=36)] | UnsetType = field(default=UNSET, name="controlId")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


DERControlStatusEnumType = Literal["Accepted", "Rejected", "NotSupported", "NotFound"]


class ClearDERControlResponse(Message):
    status: DERControlStatusEnumType
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class ClearDisplayMessageRequest(Message):
    id: Annotated[int, Meta(ge=0)]
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


ClearMessageStatusEnumType = Literal["Accepted", "Unknown", "Rejected"]


class ClearDisplayMessageResponse(Message):
    status: ClearMessageStatusEnumType
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class ClearTariffsRequest(Message):
    tariff_ids: Annotated[list[Annotated[str, Meta(max_length=60)]], Meta(min_length=1)] | UnsetType = field(default=UNSET, name="tariffIds")
    evse_id: Annotated[int, Meta(ge=0)] | UnsetType = field(default=UNSET, name="evseId")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


TariffClearStatusEnumType = Literal["Accepted", "Rejected", "NoTariff"]


class ClearTariffsResultType(Message):
    status: TariffClearStatusEnumType
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")
    tariff_id: Annotated[str, Meta(max_length=60)] | UnsetType = field(default=UNSET, name="tariffId")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class ClearTariffsResponse(Message):
    clear_tariffs_result: Annotated[list[ClearTariffsResultType], Meta(min_length=1)] = field(name="clearTariffsResult")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class ClearVariableMonitoringRequest(Message):
    id: Annotated[list[Annotated[int, Meta(ge=0)]], Meta(min_length=1)]
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


ClearMonitoringStatusEnumType = Literal["Accepted", "Rejected", "NotFound"]


class ClearMonitoringResultType(Message):
    status: ClearMonitoringStatusEnumType
    id: Annotated[int, Meta(ge=0)]
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class ClearVariableMonitoringResponse(Message):
    clear_monitoring_result: Annotated[list[ClearMonitoringResultType], Meta(min_length=1)] = field(name="clearMonitoringResult")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class ClearedChargingLimitRequest(Message):
    charging_limit_source: Annotated[str, Meta(max_length=20)] = field(name="chargingLimitSource")
    evse_id: Annotated[int, Meta(ge=0)] | UnsetType = field(default=UNSET, name="evseId")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class ClearedChargingLimitResponse(Message):
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class ClosePeriodicEventStreamRequest(Message):
    id: Annotated[int, Meta(ge=0)]
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class ClosePeriodicEventStreamResponse(Message):
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
    request_id: Annotated[int, Meta(ge=0)] = field(name="requestId")
    report: bool
    clear: bool
    customer_certificate: CertificateHashDataType | UnsetType = field(default=UNSET, name="customerCertificate")
    id_token: IdTokenType | UnsetType = field(default=UNSET, name="idToken")
    customer_identifier: Annotated[str, Meta(max_length=64)] | UnsetType = field(default=UNSET, name="customerIdentifier")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


CustomerInformationStatusEnumType = Literal["Accepted", "Rejected", "Invalid"]


class CustomerInformationResponse(Message):
    status: CustomerInformationStatusEnumType
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class DataTransferRequest(Message):
    vendor_id: Annotated[str, Meta(max_length=255)] = field(name="vendorId")
    message_id: Annotated[str, Meta(max_length=50)] | UnsetType = field(default=UNSET, name="messageId")
    data: Any | UnsetType = field(default=UNSET, name="data")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


DataTransferStatusEnumType = Literal["Accepted", "Rejected", "UnknownMessageId", "UnknownVendorId"]


class DataTransferResponse(Message):
    status: DataTransferStatusEnumType
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")
    data: Any | UnsetType = field(default=UNSET, name="data")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class DeleteCertificateRequest(Message):
    certificate_hash_data: CertificateHashDataType = field(name="certificateHashData")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


DeleteCertificateStatusEnumType = Literal["Accepted", "Failed", "NotFound"]


class DeleteCertificateResponse(Message):
    status: DeleteCertificateStatusEnumType
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


FirmwareStatusEnumType = Literal["Downloaded", "DownloadFailed", "Downloading", "DownloadScheduled", "DownloadPaused", "Idle", "InstallationFailed", "Installing", "Installed", "InstallRebooting", "InstallScheduled", "InstallVerificationFailed", "InvalidSignature", "SignatureVerified"]


class FirmwareStatusNotificationRequest(Message):
    status: FirmwareStatusEnumType
    request_id: int | UnsetType = field(default=UNSET, name="requestId")
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class FirmwareStatusNotificationResponse(Message):
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


CertificateActionEnumType = Literal["Install", "Update"]


class Get15118EVCertificateRequest(Message):
    iso15118_schema_version: Annotated[str, Meta(max_length=50)] = field(name="iso15118SchemaVersion")
    action: CertificateActionEnumType
    exi_request: Annotated[str, Meta(max_length=11000)] = field(name="exiRequest")
    maximum_contract_certificate_chains: Annotated[int, Meta(ge=0)] | UnsetType = field(default=UNSET, name="maximumContractCertificateChains")
    prioritized_emai_ds: Annotated[list[Annotated[str, Meta(max_length=255)]], Meta(min_length=1, max_length=8)] | UnsetType = field(default=UNSET, name="prioritizedEMAIDs")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


Iso15118EVCertificateStatusEnumType = Literal["Accepted", "Failed"]


class Get15118EVCertificateResponse(Message):
    status: Iso15118EVCertificateStatusEnumType
    exi_response: Annotated[str, Meta(max_length=17000)] = field(name="exiResponse")
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")
    remaining_contracts: Annotated[int, Meta(ge=0)] | UnsetType = field(default=UNSET, name="remainingContracts")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


ReportBaseEnumType = Literal["ConfigurationInventory", "FullInventory", "SummaryInventory"]


class GetBaseReportRequest(Message):
    request_id: int = field(name="requestId")
    report_base: ReportBaseEnumType = field(name="reportBase")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


GenericDeviceModelStatusEnumType = Literal["Accepted", "Rejected", "NotSupported", "EmptyResultSet"]


class GetBaseReportResponse(Message):
    status: GenericDeviceModelStatusEnumType
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


CertificateStatusSourceEnumType = Literal["CRL", "OCSP"]


class CertificateStatusRequestInfoType(Message):
    "Data necessary to request the revocation status of a certificate."

    certificate_hash_data: CertificateHashDataType = field(name="certificateHashData")
    source: CertificateStatusSourceEnumType
    urls: Annotated[list[Annotated[str, Meta(max_length=2000)]], Meta(min_length=1, max_length=5)]
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class GetCertificateChainStatusRequest(Message):
    certificate_status_requests: Annotated[list[CertificateStatusRequestInfoType], Meta(min_length=1, max_length=4)] = field(name="certificateStatusRequests")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


CertificateStatusEnumType = Literal["Good", "Revoked", "Unknown", "Failed"]


class CertificateStatusType(Message):
    "Revocation status of certificate"

    certificate_hash_data: CertificateHashDataType = field(name="certificateHashData")
    source: CertificateStatusSourceEnumType
    status: CertificateStatusEnumType
    next_update: DateTime = field(name="nextUpdate")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class GetCertificateChainStatusResponse(Message):
    certificate_status: Annotated[list[CertificateStatusType], Meta(min_length=1, max_length=4)] = field(name="certificateStatus")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class GetCertificateStatusRequest(Message):
    ocsp_request_data: OCSPRequestDataType = field(name="ocspRequestData")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


GetCertificateStatusEnumType = Literal["Accepted", "Failed"]


class GetCertificateStatusResponse(Message):
    status: GetCertificateStatusEnumType
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")
    ocsp_result: Annotated[str, Meta(max_length=18000)] | UnsetType = field(default=UNSET, name="ocspResult")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class ChargingProfileCriterionType(Message):
    "A ChargingProfileCriterionType is a filter for charging profiles to be selected by a GetChargingProfilesRequest."

    charging_profile_purpose: ChargingProfilePurposeEnumType | UnsetType = field(default=UNSET, name="chargingProfilePurpose")
    stack_level: Annotated[int, Meta(ge=0)] | UnsetType = field(default=UNSET, name="stackLevel")
    charging_profile_id: Annotated[list[int], Meta(min_length=1)] | UnsetType = field(default=UNSET, name="chargingProfileId")
    charging_limit_source: Annotated[list[Annotated[str, Meta(max_length=20)]], Meta(min_length=1, max_length=4)] | UnsetType = field(default=UNSET, name="chargingLimitSource")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class GetChargingProfilesRequest(Message):
    request_id: int = field(name="requestId")
    charging_profile: ChargingProfileCriterionType = field(name="chargingProfile")
    evse_id: Annotated[int, Meta(ge=0)] | UnsetType = field(default=UNSET, name="evseId")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


GetChargingProfileStatusEnumType = Literal["Accepted", "NoProfiles"]


class GetChargingProfilesResponse(Message):
    status: GetChargingProfileStatusEnumType
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


ChargingRateUnitEnumType = Literal["W", "A"]


class GetCompositeScheduleRequest(Message):
    duration: int
    evse_id: Annotated[int, Meta(ge=0)] = field(name="evseId")
    charging_rate_unit: ChargingRateUnitEnumType | UnsetType = field(default=UNSET, name="chargingRateUnit")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


OperationModeEnumType = Literal["Idle", "ChargingOnly", "CentralSetpoint", "ExternalSetpoint", "ExternalLimits", "CentralFrequency", "LocalFrequency", "LocalLoadBalancing"]


class V2XFreqWattPointType(Message):
    "*(2.1)* A point of a frequency-watt curve."

    frequency: float
    power: float
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class V2XSignalWattPointType(Message):
    "*(2.1)* A point of a signal-watt curve."

    signal: int
    power: float
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class ChargingSchedulePeriodType(Message):
    "Charging schedule period structure defines a time period in a charging schedule. It is used in: CompositeScheduleType and in ChargingScheduleType. When used in a NotifyEVChargingScheduleRequest only _startPeriod_, _limit_, _limit_L2_, _limit_L3_ are relevant."

    start_period: int = field(name="startPeriod")
    limit: float | UnsetType = field(default=UNSET, name="limit")
    limit_l2: float | UnsetType = field(default=UNSET, name="limit_L2")
    limit_l3: float | UnsetType = field(default=UNSET, name="limit_L3")
    number_phases: Annotated[int, Meta(ge=0, le=3)] | UnsetType = field(default=UNSET, name="numberPhases")
    phase_to_use: Annotated[int, Meta(ge=0, le=3)] | UnsetType = field(default=UNSET, name="phaseToUse")
    discharge_limit: Annotated[float, Meta(le=0.0)] | UnsetType = field(default=UNSET, name="dischargeLimit")
    discharge_limit_l2: Annotated[float, Meta(le=0.0)] | UnsetType = field(default=UNSET, name="dischargeLimit_L2")
    discharge_limit_l3: Annotated[float, Meta(le=0.0)] | UnsetType = field(default=UNSET, name="dischargeLimit_L3")
    setpoint: float | UnsetType = field(default=UNSET, name="setpoint")
    setpoint_l2: float | UnsetType = field(default=UNSET, name="setpoint_L2")
    setpoint_l3: float | UnsetType = field(default=UNSET, name="setpoint_L3")
    setpoint_reactive: float | UnsetType = field(default=UNSET, name="setpointReactive")
    setpoint_reactive_l2: float | UnsetType = field(default=UNSET, name="setpointReactive_L2")
    setpoint_reactive_l3: float | UnsetType = field(default=UNSET, name="setpointReactive_L3")
    preconditioning_request: bool | UnsetType = field(default=UNSET, name="preconditioningRequest")
    evse_sleep: bool | UnsetType = field(default=UNSET, name="evseSleep")
    v2x_baseline: float | UnsetType = field(default=UNSET, name="v2xBaseline")
    operation_mode: OperationModeEnumType | UnsetType = field(default=UNSET, name="operationMode")
    v2x_freq_watt_curve: Annotated[list[V2XFreqWattPointType], Meta(min_length=1, max_length=20)] | UnsetType = field(default=UNSET, name="v2xFreqWattCurve")
    v2x_signal_watt_curve: Annotated[list[V2XSignalWattPointType], Meta(min_length=1, max_length=20)] | UnsetType = field(default=UNSET, name="v2xSignalWattCurve")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class CompositeScheduleType(Message):
    evse_id: Annotated[int, Meta(ge=0)] = field(name="evseId")
    duration: int
    schedule_start: DateTime = field(name="scheduleStart")
    charging_rate_unit: ChargingRateUnitEnumType = field(name="chargingRateUnit")
    charging_schedule_period: Annotated[list[ChargingSchedulePeriodType], Meta(min_length=1)] = field(name="chargingSchedulePeriod")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class GetCompositeScheduleResponse(Message):
    status: GenericStatusEnumType
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")
    schedule: CompositeScheduleType | UnsetType = field(default=UNSET, name="schedule")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class GetDERControlRequest(Message):
    request_id: int = field(name="requestId")
    is_default: bool | UnsetType = field(default=UNSET, name="isDefault")
    control_type: DERControlEnumType | UnsetType = field(default=UNSET, name="controlType")
    control_id: Annotated[str, Meta(max_length=36)] | UnsetType = field(default=UNSET, name="controlId")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class GetDERControlResponse(Message):
    status: DERControlStatusEnumType
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


MessagePriorityEnumType = Literal["AlwaysFront", "InFront", "NormalCycle"]


MessageStateEnumType = Literal["Charging", "Faulted", "Idle", "Unavailable", "Suspended", "Discharging"]


class GetDisplayMessagesRequest(Message):
    request_id: int = field(name="requestId")
    id: Annotated[list[Annotated[int, Meta(ge=0)]], Meta(min_length=1)] | UnsetType = field(default=UNSET, name="id")
    priority: MessagePriorityEnumType | UnsetType = field(default=UNSET, name="priority")
    state: MessageStateEnumType | UnsetType = field(default=UNSET, name="state")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


GetDisplayMessagesStatusEnumType = Literal["Accepted", "Unknown"]


class GetDisplayMessagesResponse(Message):
    status: GetDisplayMessagesStatusEnumType
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


GetCertificateIdUseEnumType = Literal["V2GRootCertificate", "MORootCertificate", "CSMSRootCertificate", "V2GCertificateChain", "ManufacturerRootCertificate", "OEMRootCertificate"]


class GetInstalledCertificateIdsRequest(Message):
    certificate_type: Annotated[list[GetCertificateIdUseEnumType], Meta(min_length=1)] | UnsetType = field(default=UNSET, name="certificateType")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


GetInstalledCertificateStatusEnumType = Literal["Accepted", "NotFound"]


class CertificateHashDataChainType(Message):
    certificate_hash_data: CertificateHashDataType = field(name="certificateHashData")
    certificate_type: GetCertificateIdUseEnumType = field(name="certificateType")
    child_certificate_hash_data: Annotated[list[CertificateHashDataType], Meta(min_length=1, max_length=4)] | UnsetType = field(default=UNSET, name="childCertificateHashData")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class GetInstalledCertificateIdsResponse(Message):
    status: GetInstalledCertificateStatusEnumType
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")
    certificate_hash_data_chain: Annotated[list[CertificateHashDataChainType], Meta(min_length=1)] | UnsetType = field(default=UNSET, name="certificateHashDataChain")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class GetLocalListVersionRequest(Message):
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class GetLocalListVersionResponse(Message):
    version_number: int = field(name="versionNumber")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class LogParametersType(Message):
    "Generic class for the configuration of logging entries."

    remote_location: Annotated[str, Meta(max_length=2000)] = field(name="remoteLocation")
    oldest_timestamp: DateTime | UnsetType = field(default=UNSET, name="oldestTimestamp")
    latest_timestamp: DateTime | UnsetType = field(default=UNSET, name="latestTimestamp")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


LogEnumType = Literal["DiagnosticsLog", "SecurityLog", "DataCollectorLog"]


class GetLogRequest(Message):
    log: LogParametersType
    log_type: LogEnumType = field(name="logType")
    request_id: int = field(name="requestId")
    retries: Annotated[int, Meta(ge=0)] | UnsetType = field(default=UNSET, name="retries")
    retry_interval: int | UnsetType = field(default=UNSET, name="retryInterval")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


LogStatusEnumType = Literal["Accepted", "Rejected", "AcceptedCanceled"]


class GetLogResponse(Message):
    status: LogStatusEnumType
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")
    filename: Annotated[str, Meta(max_length=255)] | UnsetType = field(default=UNSET, name="filename")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class ComponentType(Message):
    "A physical or logical component"

    name: Annotated[str, Meta(max_length=50)]
    evse: EVSEType | UnsetType = field(default=UNSET, name="evse")
    instance: Annotated[str, Meta(max_length=50)] | UnsetType = field(default=UNSET, name="instance")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class VariableType(Message):
    "Reference key to a component-variable."

    name: Annotated[str, Meta(max_length=50)]
    instance: Annotated[str, Meta(max_length=50)] | UnsetType = field(default=UNSET, name="instance")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class ComponentVariableType(Message):
    "Class to report components, variables and variable attributes and characteristics."

    component: ComponentType
    variable: VariableType | UnsetType = field(default=UNSET, name="variable")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


MonitoringCriterionEnumType = Literal["ThresholdMonitoring", "DeltaMonitoring", "PeriodicMonitoring"]


class GetMonitoringReportRequest(Message):
    request_id: int = field(name="requestId")
    component_variable: Annotated[list[ComponentVariableType], Meta(min_length=1)] | UnsetType = field(default=UNSET, name="componentVariable")
    monitoring_criteria: Annotated[list[MonitoringCriterionEnumType], Meta(min_length=1, max_length=3)] | UnsetType = field(default=UNSET, name="monitoringCriteria")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class GetMonitoringReportResponse(Message):
    status: GenericDeviceModelStatusEnumType
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class GetPeriodicEventStreamRequest(Message):
    "This message is empty. It has no fields."

    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class ConstantStreamDataType(Message):
    id: Annotated[int, Meta(ge=0)]
    params: PeriodicEventStreamParamsType
    variable_monitoring_id: Annotated[int, Meta(ge=0)] = field(name="variableMonitoringId")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class GetPeriodicEventStreamResponse(Message):
    constant_stream_data: Annotated[list[ConstantStreamDataType], Meta(min_length=1)] | UnsetType = field(default=UNSET, name="constantStreamData")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


ComponentCriterionEnumType = Literal["Active", "Available", "Enabled", "Problem"]


class GetReportRequest(Message):
    request_id: int = field(name="requestId")
    component_variable: Annotated[list[ComponentVariableType], Meta(min_length=1)] | UnsetType = field(default=UNSET, name="componentVariable")
    component_criteria: Annotated[list[ComponentCriterionEnumType], Meta(min_length=1, max_length=4)] | UnsetType = field(default=UNSET, name="componentCriteria")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class GetReportResponse(Message):
    status: GenericDeviceModelStatusEnumType
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class GetTariffsRequest(Message):
    evse_id: Annotated[int, Meta(ge=0)] = field(name="evseId")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


TariffGetStatusEnumType = Literal["Accepted", "Rejected", "NoTariff"]


TariffKindEnumType = Literal["DefaultTariff", "DriverTariff"]


class TariffAssignmentType(Message):
    "Shows assignment of tariffs to EVSE or IdToken."

    tariff_id: Annotated[str, Meta(max_length=60)] = field(name="tariffId")
    tariff_kind: TariffKindEnumType = field(name="tariffKind")
    valid_from: DateTime | UnsetType = field(default=UNSET, name="validFrom")
    evse_ids: Annotated[list[Annotated[int, Meta(ge=0)]], Meta(min_length=1)] | UnsetType = field(default=UNSET, name="evseIds")
    id_tokens: Annotated[list[Annotated[str, Meta(max_length=255)]], Meta(min_length=1)] | UnsetType = field(default=UNSET, name="idTokens")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class GetTariffsResponse(Message):
    status: TariffGetStatusEnumType
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")
    tariff_assignments: Annotated[list[TariffAssignmentType], Meta(min_length=1)] | UnsetType = field(default=UNSET, name="tariffAssignments")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class GetTransactionStatusRequest(Message):
    transaction_id: Annotated[str, Meta(max_length=36)] | UnsetType = field(default=UNSET, name="transactionId")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class GetTransactionStatusResponse(Message):
    messages_in_queue: bool = field(name="messagesInQueue")
    ongoing_indicator: bool | UnsetType = field(default=UNSET, name="ongoingIndicator")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


AttributeEnumType = Literal["Actual", "Target", "MinSet", "MaxSet"]


class GetVariableDataType(Message):
    "Class to hold parameters for GetVariables request."

    component: ComponentType
    variable: VariableType
    attribute_type: AttributeEnumType | UnsetType = field(default=UNSET, name="attributeType")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class GetVariablesRequest(Message):
    get_variable_data: Annotated[list[GetVariableDataType], Meta(min_length=1)] = field(name="getVariableData")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


GetVariableStatusEnumType = Literal["Accepted", "Rejected", "UnknownComponent", "UnknownVariable", "NotSupportedAttributeType"]


class GetVariableResultType(Message):
    "Class to hold results of GetVariables request."

    attribute_status: GetVariableStatusEnumType = field(name="attributeStatus")
    component: ComponentType
    variable: VariableType
    attribute_status_info: StatusInfoType | UnsetType = field(default=UNSET, name="attributeStatusInfo")
    attribute_type: AttributeEnumType | UnsetType = field(default=UNSET, name="attributeType")
    attribute_value: Annotated[str, Meta(max_length=2500)] | UnsetType = field(default=UNSET, name="attributeValue")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class GetVariablesResponse(Message):
    get_variable_result: Annotated[list[GetVariableResultType], Meta(min_length=1)] = field(name="getVariableResult")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class HeartbeatRequest(Message):
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class HeartbeatResponse(Message):
    current_time: DateTime = field(name="currentTime")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


InstallCertificateUseEnumType = Literal["V2GRootCertificate", "MORootCertificate", "ManufacturerRootCertificate", "CSMSRootCertificate", "OEMRootCertificate"]


class InstallCertificateRequest(Message):
    certificate_type: InstallCertificateUseEnumType = field(name="certificateType")
    certificate: Annotated[str, Meta(max_length=10000)]
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


InstallCertificateStatusEnumType = Literal["Accepted", "Rejected", "Failed"]


class InstallCertificateResponse(Message):
    status: InstallCertificateStatusEnumType
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


UploadLogStatusEnumType = Literal["BadMessage", "Idle", "NotSupportedOperation", "PermissionDenied", "Uploaded", "UploadFailure", "Uploading", "AcceptedCanceled"]


class LogStatusNotificationRequest(Message):
    status: UploadLogStatusEnumType
    request_id: int | UnsetType = field(default=UNSET, name="requestId")
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class LogStatusNotificationResponse(Message):
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


MeasurandEnumType = Literal["Current.Export", "Current.Export.Offered", "Current.Export.Minimum", "Current.Import", "Current.Import.Offered", "Current.Import.Minimum", "Current.Offered", "Display.PresentSOC", "Display.MinimumSOC", "Display.TargetSOC", "Display.MaximumSOC", "Display.RemainingTimeToMinimumSOC", "Display.RemainingTimeToTargetSOC", "Display.RemainingTimeToMaximumSOC", "Display.ChargingComplete", "Display.BatteryEnergyCapacity", "Display.InletHot", "Energy.Active.Export.Interval", "Energy.Active.Export.Register", "Energy.Active.Import.Interval", "Energy.Active.Import.Register", "Energy.Active.Import.CableLoss", "Energy.Active.Import.LocalGeneration.Register", "Energy.Active.Net", "Energy.Active.Setpoint.Interval", "Energy.Apparent.Export", "Energy.Apparent.Import", "Energy.Apparent.Net", "Energy.Reactive.Export.Interval", "Energy.Reactive.Export.Register", "Energy.Reactive.Import.Interval", "Energy.Reactive.Import.Register", "Energy.Reactive.Net", "EnergyRequest.Target", "EnergyRequest.Minimum", "EnergyRequest.Maximum", "EnergyRequest.Minimum.V2X", "EnergyRequest.Maximum.V2X", "EnergyRequest.Bulk", "Frequency", "Power.Active.Export", "Power.Active.Import", "Power.Active.Setpoint", "Power.Active.Residual", "Power.Export.Minimum", "Power.Export.Offered", "Power.Factor", "Power.Import.Offered", "Power.Import.Minimum", "Power.Offered", "Power.Reactive.Export", "Power.Reactive.Import", "SoC", "Voltage", "Voltage.Minimum", "Voltage.Maximum"]


ReadingContextEnumType = Literal["Interruption.Begin", "Interruption.End", "Other", "Sample.Clock", "Sample.Periodic", "Transaction.Begin", "Transaction.End", "Trigger"]


PhaseEnumType = Literal["L1", "L2", "L3", "N", "L1-N", "L2-N", "L3-N", "L1-L2", "L2-L3", "L3-L1"]


LocationEnumType = Literal["Body", "Cable", "EV", "Inlet", "Outlet", "Upstream"]


class SignedMeterValueType(Message):
    "Represent a signed version of the meter value."

    signed_meter_data: Annotated[str, Meta(max_length=32768)] = field(name="signedMeterData")
    encoding_method: Annotated[str, Meta(max_length=50)] = field(name="encodingMethod")
    signing_method: Annotated[str, Meta(max_length=50)] | UnsetType = field(default=UNSET, name="signingMethod")
    public_key: Annotated[str, Meta(max_length=2500)] | UnsetType = field(default=UNSET, name="publicKey")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class UnitOfMeasureType(Message):
    "Represents a UnitOfMeasure with a multiplier"

    unit: Annotated[str, Meta(max_length=20)] | UnsetType = field(default=UNSET, name="unit")
    multiplier: int | UnsetType = field(default=UNSET, name="multiplier")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class SampledValueType(Message):
    "Single sampled value in MeterValues. Each value can be accompanied by optional fields.  To save on mobile data usage, default values of all of the optional fields are such that. The value without any additional fields will be interpreted, as a register reading of active import energy in Wh (Watt-hou"

    value: float
    measurand: MeasurandEnumType | UnsetType = field(default=UNSET, name="measurand")
    context: ReadingContextEnumType | UnsetType = field(default=UNSET, name="context")
    phase: PhaseEnumType | UnsetType = field(default=UNSET, name="phase")
    location: LocationEnumType | UnsetType = field(default=UNSET, name="location")
    signed_meter_value: SignedMeterValueType | UnsetType = field(default=UNSET, name="signedMeterValue")
    unit_of_measure: UnitOfMeasureType | UnsetType = field(default=UNSET, name="unitOfMeasure")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class MeterValueType(Message):
    "Collection of one or more sampled values in MeterValuesRequest and TransactionEvent. All sampled values in a MeterValue are sampled at the same point in time."

    sampled_value: Annotated[list[SampledValueType], Meta(min_length=1)] = field(name="sampledValue")
    timestamp: DateTime
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class MeterValuesRequest(Message):
    evse_id: Annotated[int, Meta(ge=0)] = field(name="evseId")
    meter_value: Annotated[list[MeterValueType], Meta(min_length=1)] = field(name="meterValue")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class MeterValuesResponse(Message):
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class NotifyAllowedEnergyTransferRequest(Message):
    transaction_id: Annotated[str, Meta(max_length=36)] = field(name="transactionId")
    allowed_energy_transfer: Annotated[list[EnergyTransferModeEnumType], Meta(min_length=1)] = field(name="allowedEnergyTransfer")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


NotifyAllowedEnergyTransferStatusEnumType = Literal["Accepted", "Rejected"]


class NotifyAllowedEnergyTransferResponse(Message):
    status: NotifyAllowedEnergyTransferStatusEnumType
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class LimitAtSoCType(Message):
    soc: Annotated[int, Meta(ge=0, le=100)]
    limit: float
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class RelativeTimeIntervalType(Message):
    start: int
    duration: int | UnsetType = field(default=UNSET, name="duration")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


CostKindEnumType = Literal["CarbonDioxideEmission", "RelativePricePercentage", "RenewableGenerationPercentage"]


class CostType(Message):
    cost_kind: CostKindEnumType = field(name="costKind")
    amount: int
    amount_multiplier: int | UnsetType = field(default=UNSET, name="amountMultiplier")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class ConsumptionCostType(Message):
    start_value: float = field(name="startValue")
    cost: Annotated[list[CostType], Meta(min_length=1, max_length=3)]
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class SalesTariffEntryType(Message):
    relative_time_interval: RelativeTimeIntervalType = field(name="relativeTimeInterval")
    e_price_level: Annotated[int, Meta(ge=0)] | UnsetType = field(default=UNSET, name="ePriceLevel")
    consumption_cost: Annotated[list[ConsumptionCostType], Meta(min_length=1, max_length=3)] | UnsetType = field(default=UNSET, name="consumptionCost")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class SalesTariffType(Message):
    "A SalesTariff provided by a Mobility Operator (EMSP) . NOTE: This dataType is based on dataTypes from &lt;&lt;ref-ISOIEC15118-2,ISO 15118-2&gt;&gt;."

    id: Annotated[int, Meta(ge=0)]
    sales_tariff_entry: Annotated[list[SalesTariffEntryType], Meta(min_length=1, max_length=1024)] = field(name="salesTariffEntry")
    sales_tariff_description: Annotated[str, Meta(max_length=32)] | UnsetType = field(default=UNSET, name="salesTariffDescription")
    num_e_price_levels: Annotated[int, Meta(ge=0)] | UnsetType = field(default=UNSET, name="numEPriceLevels")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class RationalNumberType(Message):
    "Part of ISO 15118-20 price schedule."

    exponent: int
    value: int
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class PriceRuleType(Message):
    "Part of ISO 15118-20 price schedule."

    energy_fee: RationalNumberType = field(name="energyFee")
    power_range_start: RationalNumberType = field(name="powerRangeStart")
    parking_fee_period: int | UnsetType = field(default=UNSET, name="parkingFeePeriod")
    carbon_dioxide_emission: Annotated[int, Meta(ge=0)] | UnsetType = field(default=UNSET, name="carbonDioxideEmission")
    renewable_generation_percentage: Annotated[int, Meta(ge=0, le=100)] | UnsetType = field(default=UNSET, name="renewableGenerationPercentage")
    parking_fee: RationalNumberType | UnsetType = field(default=UNSET, name="parkingFee")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class PriceRuleStackType(Message):
    "Part of ISO 15118-20 price schedule."

    duration: int
    price_rule: Annotated[list[PriceRuleType], Meta(min_length=1, max_length=8)] = field(name="priceRule")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class TaxRuleType(Message):
    "Part of ISO 15118-20 price schedule."

    tax_rule_id: Annotated[int, Meta(ge=0)] = field(name="taxRuleID")
    applies_to_energy_fee: bool = field(name="appliesToEnergyFee")
    applies_to_parking_fee: bool = field(name="appliesToParkingFee")
    applies_to_overstay_fee: bool = field(name="appliesToOverstayFee")
    applies_to_minimum_maximum_cost: bool = field(name="appliesToMinimumMaximumCost")
    tax_rate: RationalNumberType = field(name="taxRate")
    tax_rule_name: Annotated[str, Meta(max_length=100)] | UnsetType = field(default=UNSET, name="taxRuleName")
    tax_included_in_price: bool | UnsetType = field(default=UNSET, name="taxIncludedInPrice")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class OverstayRuleType(Message):
    "Part of ISO 15118-20 price schedule."

    overstay_fee: RationalNumberType = field(name="overstayFee")
    start_time: int = field(name="startTime")
    overstay_fee_period: int = field(name="overstayFeePeriod")
    overstay_rule_description: Annotated[str, Meta(max_length=32)] | UnsetType = field(default=UNSET, name="overstayRuleDescription")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class OverstayRuleListType(Message):
    "Part of ISO 15118-20 price schedule."

    overstay_rule: Annotated[list[OverstayRuleType], Meta(min_length=1, max_length=5)] = field(name="overstayRule")
    overstay_power_threshold: RationalNumberType | UnsetType = field(default=UNSET, name="overstayPowerThreshold")
    overstay_time_threshold: int | UnsetType = field(default=UNSET, name="overstayTimeThreshold")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class AdditionalSelectedServicesType(Message):
    "Part of ISO 15118-20 price schedule."

    service_fee: RationalNumberType = field(name="serviceFee")
    service_name: Annotated[str, Meta(max_length=80)] = field(name="serviceName")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class AbsolutePriceScheduleType(Message):
    "The AbsolutePriceScheduleType is modeled after the same type that is defined in ISO 15118-20, such that if it is supplied by an EMSP as a signed EXI message, the conversion from EXI to JSON (in OCPP) and back to EXI (for ISO 15118-20) does not change the digest and therefore does not invalidate the "

    time_anchor: DateTime = field(name="timeAnchor")
    price_schedule_id: Annotated[int, Meta(ge=0)] = field(name="priceScheduleID")
    currency: Annotated[str, Meta(max_length=3)]
    language: Annotated[str, Meta(max_length=8)]
    price_algorithm: Annotated[str, Meta(max_length=2000)] = field(name="priceAlgorithm")
    price_rule_stacks: Annotated[list[PriceRuleStackType], Meta(min_length=1, max_length=1024)] = field(name="priceRuleStacks")
    price_schedule_description: Annotated[str, Meta(max_length=160)] | UnsetType = field(default=UNSET, name="priceScheduleDescription")
    minimum_cost: RationalNumberType | UnsetType = field(default=UNSET, name="minimumCost")
    maximum_cost: RationalNumberType | UnsetType = field(default=UNSET, name="maximumCost")
    tax_rules: Annotated[list[TaxRuleType], Meta(min_length=1, max_length=10)] | UnsetType = field(default=UNSET, name="taxRules")
    overstay_rule_list: OverstayRuleListType | UnsetType = field(default=UNSET, name="overstayRuleList")
    additional_selected_services: Annotated[list[AdditionalSelectedServicesType], Meta(min_length=1, max_length=5)] | UnsetType = field(default=UNSET, name="additionalSelectedServices")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class PriceLevelScheduleEntryType(Message):
    "Part of ISO 15118-20 price schedule."

    duration: int
    price_level: Annotated[int, Meta(ge=0)] = field(name="priceLevel")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class PriceLevelScheduleType(Message):
    "The PriceLevelScheduleType is modeled after the same type that is defined in ISO 15118-20, such that if it is supplied by an EMSP as a signed EXI message, the conversion from EXI to JSON (in OCPP) and back to EXI (for ISO 15118-20) does not change the digest and therefore does not invalidate the sig"

    price_level_schedule_entries: Annotated[list[PriceLevelScheduleEntryType], Meta(min_length=1, max_length=100)] = field(name="priceLevelScheduleEntries")
    time_anchor: DateTime = field(name="timeAnchor")
    price_schedule_id: Annotated[int, Meta(ge=0)] = field(name="priceScheduleId")
    number_of_price_levels: Annotated[int, Meta(ge=0)] = field(name="numberOfPriceLevels")
    price_schedule_description: Annotated[str, Meta(max_length=32)] | UnsetType = field(default=UNSET, name="priceScheduleDescription")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class ChargingScheduleType(Message):
    "Charging schedule structure defines a list of charging periods, as used in: NotifyEVChargingScheduleRequest and ChargingProfileType. When used in a NotifyEVChargingScheduleRequest only _duration_ and _chargingSchedulePeriod_ are relevant and _chargingRateUnit_ must be 'W'. + An ISO 15118-20 session "

    id: int
    charging_rate_unit: ChargingRateUnitEnumType = field(name="chargingRateUnit")
    charging_schedule_period: Annotated[list[ChargingSchedulePeriodType], Meta(min_length=1, max_length=1024)] = field(name="chargingSchedulePeriod")
    limit_at_soc: LimitAtSoCType | UnsetType = field(default=UNSET, name="limitAtSoC")
    start_schedule: DateTime | UnsetType = field(default=UNSET, name="startSchedule")
    duration: int | UnsetType = field(default=UNSET, name="duration")
    min_charging_rate: float | UnsetType = field(default=UNSET, name="minChargingRate")
    power_tolerance: float | UnsetType = field(default=UNSET, name="powerTolerance")
    signature_id: Annotated[int, Meta(ge=0)] | UnsetType = field(default=UNSET, name="signatureId")
    digest_value: Annotated[str, Meta(max_length=88)] | UnsetType = field(default=UNSET, name="digestValue")
    use_local_time: bool | UnsetType = field(default=UNSET, name="useLocalTime")
    randomized_delay: Annotated[int, Meta(ge=0)] | UnsetType = field(default=UNSET, name="randomizedDelay")
    sales_tariff: SalesTariffType | UnsetType = field(default=UNSET, name="salesTariff")
    absolute_price_schedule: AbsolutePriceScheduleType | UnsetType = field(default=UNSET, name="absolutePriceSchedule")
    price_level_schedule: PriceLevelScheduleType | UnsetType = field(default=UNSET, name="priceLevelSchedule")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class ChargingLimitType(Message):
    charging_limit_source: Annotated[str, Meta(max_length=20)] = field(name="chargingLimitSource")
    is_local_generation: bool | UnsetType = field(default=UNSET, name="isLocalGeneration")
    is_grid_critical: bool | UnsetType = field(default=UNSET, name="isGridCritical")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class NotifyChargingLimitRequest(Message):
    charging_limit: ChargingLimitType = field(name="chargingLimit")
    charging_schedule: Annotated[list[ChargingScheduleType], Meta(min_length=1)] | UnsetType = field(default=UNSET, name="chargingSchedule")
    evse_id: Annotated[int, Meta(ge=0)] | UnsetType = field(default=UNSET, name="evseId")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class NotifyChargingLimitResponse(Message):
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class NotifyCustomerInformationRequest(Message):
    data: Annotated[str, Meta(max_length=512)]
    seq_no: Annotated[int, Meta(ge=0)] = field(name="seqNo")
    generated_at: DateTime = field(name="generatedAt")
    request_id: Annotated[int, Meta(ge=0)] = field(name="requestId")
    tbc: bool | UnsetType = field(default=UNSET, name="tbc")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class NotifyCustomerInformationResponse(Message):
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


GridEventFaultEnumType = Literal["CurrentImbalance", "LocalEmergency", "LowInputPower", "OverCurrent", "OverFrequency", "OverVoltage", "PhaseRotation", "RemoteEmergency", "UnderFrequency", "UnderVoltage", "VoltageImbalance"]


class NotifyDERAlarmRequest(Message):
    control_type: DERControlEnumType = field(name="controlType")
    timestamp: DateTime
    grid_event_fault: GridEventFaultEnumType | UnsetType = field(default=UNSET, name="gridEventFault")
    alarm_ended: bool | UnsetType = field(default=UNSET, name="alarmEnded")
    extra_info: Annotated[str, Meta(max_length=200)] | UnsetType = field(default=UNSET, name="extraInfo")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class NotifyDERAlarmResponse(Message):
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class NotifyDERStartStopRequest(Message):
    control_id: Annotated[str, Meta(max_length=36)] = field(name="controlId")
    started: bool
    timestamp: DateTime
    superseded_ids: Annotated[list[Annotated[str, Meta(max_length=36)]], Meta(min_length=1, max_length=24)] | UnsetType = field(default=UNSET, name="supersededIds")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class NotifyDERStartStopResponse(Message):
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class MessageInfoType(Message):
    "Contains message details, for a message to be displayed on a Charging Station."

    id: Annotated[int, Meta(ge=0)]
    priority: MessagePriorityEnumType
    message: MessageContentType
    display: ComponentType | UnsetType = field(default=UNSET, name="display")
    state: MessageStateEnumType | UnsetType = field(default=UNSET, name="state")
    start_date_time: DateTime | UnsetType = field(default=UNSET, name="startDateTime")
    end_date_time: DateTime | UnsetType = field(default=UNSET, name="endDateTime")
    transaction_id: Annotated[str, Meta(max_length=36)] | UnsetType = field(default=UNSET, name="transactionId")
    message_extra: Annotated[list[MessageContentType], Meta(min_length=1, max_length=4)] | UnsetType = field(default=UNSET, name="messageExtra")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class NotifyDisplayMessagesRequest(Message):
    request_id: int = field(name="requestId")
    message_info: Annotated[list[MessageInfoType], Meta(min_length=1)] | UnsetType = field(default=UNSET, name="messageInfo")
    tbc: bool | UnsetType = field(default=UNSET, name="tbc")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class NotifyDisplayMessagesResponse(Message):
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class ACChargingParametersType(Message):
    "EV AC charging parameters for ISO 15118-2"

    energy_amount: float = field(name="energyAmount")
    ev_min_current: float = field(name="evMinCurrent")
    ev_max_current: float = field(name="evMaxCurrent")
    ev_max_voltage: float = field(name="evMaxVoltage")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


IslandingDetectionEnumType = Literal["NoAntiIslandingSupport", "RoCoF", "UVP_OVP", "UFP_OFP", "VoltageVectorShift", "ZeroCrossingDetection", "OtherPassive", "ImpedanceMeasurement", "ImpedanceAtFrequency", "SlipModeFrequencyShift", "SandiaFrequencyShift", "SandiaVoltageShift", "FrequencyJump", "RCLQFactor", "OtherActive"]


class DERChargingParametersType(Message):
    "*(2.1)* DERChargingParametersType is used in ChargingNeedsType during an ISO 15118-20 session for AC_BPT_DER to report the inverter settings related to DER control that were agreed between EVSE and EV.  Fields starting with \"ev\" contain values from the EV. Other fields contain a value that is suppor"

    ev_supported_der_control: Annotated[list[DERControlEnumType], Meta(min_length=1)] | UnsetType = field(default=UNSET, name="evSupportedDERControl")
    ev_over_excited_max_discharge_power: float | UnsetType = field(default=UNSET, name="evOverExcitedMaxDischargePower")
    ev_over_excited_power_factor: float | UnsetType = field(default=UNSET, name="evOverExcitedPowerFactor")
    ev_under_excited_max_discharge_power: float | UnsetType = field(default=UNSET, name="evUnderExcitedMaxDischargePower")
    ev_under_excited_power_factor: float | UnsetType = field(default=UNSET, name="evUnderExcitedPowerFactor")
    max_apparent_power: float | UnsetType = field(default=UNSET, name="maxApparentPower")
    max_charge_apparent_power: float | UnsetType = field(default=UNSET, name="maxChargeApparentPower")
    max_charge_apparent_power_l2: float | UnsetType = field(default=UNSET, name="maxChargeApparentPower_L2")
    max_charge_apparent_power_l3: float | UnsetType = field(default=UNSET, name="maxChargeApparentPower_L3")
    max_discharge_apparent_power: float | UnsetType = field(default=UNSET, name="maxDischargeApparentPower")
    max_discharge_apparent_power_l2: float | UnsetType = field(default=UNSET, name="maxDischargeApparentPower_L2")
    max_discharge_apparent_power_l3: float | UnsetType = field(default=UNSET, name="maxDischargeApparentPower_L3")
    max_charge_reactive_power: float | UnsetType = field(default=UNSET, name="maxChargeReactivePower")
    max_charge_reactive_power_l2: float | UnsetType = field(default=UNSET, name="maxChargeReactivePower_L2")
    max_charge_reactive_power_l3: float | UnsetType = field(default=UNSET, name="maxChargeReactivePower_L3")
    min_charge_reactive_power: float | UnsetType = field(default=UNSET, name="minChargeReactivePower")
    min_charge_reactive_power_l2: float | UnsetType = field(default=UNSET, name="minChargeReactivePower_L2")
    min_charge_reactive_power_l3: float | UnsetType = field(default=UNSET, name="minChargeReactivePower_L3")
    max_discharge_reactive_power: float | UnsetType = field(default=UNSET, name="maxDischargeReactivePower")
    max_discharge_reactive_power_l2: float | UnsetType = field(default=UNSET, name="maxDischargeReactivePower_L2")
    max_discharge_reactive_power_l3: float | UnsetType = field(default=UNSET, name="maxDischargeReactivePower_L3")
    min_discharge_reactive_power: float | UnsetType = field(default=UNSET, name="minDischargeReactivePower")
    min_discharge_reactive_power_l2: float | UnsetType = field(default=UNSET, name="minDischargeReactivePower_L2")
    min_discharge_reactive_power_l3: float | UnsetType = field(default=UNSET, name="minDischargeReactivePower_L3")
    nominal_voltage: float | UnsetType = field(default=UNSET, name="nominalVoltage")
    nominal_voltage_offset: float | UnsetType = field(default=UNSET, name="nominalVoltageOffset")
    max_nominal_voltage: float | UnsetType = field(default=UNSET, name="maxNominalVoltage")
    min_nominal_voltage: float | UnsetType = field(default=UNSET, name="minNominalVoltage")
    ev_inverter_manufacturer: Annotated[str, Meta(max_length=50)] | UnsetType = field(default=UNSET, name="evInverterManufacturer")
    ev_inverter_model: Annotated[str, Meta(max_length=50)] | UnsetType = field(default=UNSET, name="evInverterModel")
    ev_inverter_serial_number: Annotated[str, Meta(max_length=50)] | UnsetType = field(default=UNSET, name="evInverterSerialNumber")
    ev_inverter_sw_version: Annotated[str, Meta(max_length=50)] | UnsetType = field(default=UNSET, name="evInverterSwVersion")
    ev_inverter_hw_version: Annotated[str, Meta(max_length=50)] | UnsetType = field(default=UNSET, name="evInverterHwVersion")
    ev_islanding_detection_method: Annotated[list[IslandingDetectionEnumType], Meta(min_length=1)] | UnsetType = field(default=UNSET, name="evIslandingDetectionMethod")
    ev_islanding_trip_time: float | UnsetType = field(default=UNSET, name="evIslandingTripTime")
    ev_maximum_level1_dc_injection: float | UnsetType = field(default=UNSET, name="evMaximumLevel1DCInjection")
    ev_duration_level1_dc_injection: float | UnsetType = field(default=UNSET, name="evDurationLevel1DCInjection")
    ev_maximum_level2_dc_injection: float | UnsetType = field(default=UNSET, name="evMaximumLevel2DCInjection")
    ev_duration_level2_dc_injection: float | UnsetType = field(default=UNSET, name="evDurationLevel2DCInjection")
    ev_reactive_susceptance: float | UnsetType = field(default=UNSET, name="evReactiveSusceptance")
    ev_session_total_discharge_energy_available: float | UnsetType = field(default=UNSET, name="evSessionTotalDischargeEnergyAvailable")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class EVPriceRuleType(Message):
    "*(2.1)* An entry in price schedule over time for which EV is willing to discharge."

    energy_fee: float = field(name="energyFee")
    power_range_start: float = field(name="powerRangeStart")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class EVAbsolutePriceScheduleEntryType(Message):
    "*(2.1)* An entry in price schedule over time for which EV is willing to discharge."

    duration: int
    ev_price_rule: Annotated[list[EVPriceRuleType], Meta(min_length=1, max_length=8)] = field(name="evPriceRule")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class EVAbsolutePriceScheduleType(Message):
    "*(2.1)* Price schedule of EV energy offer."

    time_anchor: DateTime = field(name="timeAnchor")
    currency: Annotated[str, Meta(max_length=3)]
    ev_absolute_price_schedule_entries: Annotated[list[EVAbsolutePriceScheduleEntryType], Meta(min_length=1, max_length=1024)] = field(name="evAbsolutePriceScheduleEntries")
    price_algorithm: Annotated[str, Meta(max_length=2000)] = field(name="priceAlgorithm")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class EVPowerScheduleEntryType(Message):
    "*(2.1)* An entry in schedule of the energy amount over time that EV is willing to discharge. A negative value indicates the willingness to discharge under specific conditions, a positive value indicates that the EV currently is not able to offer energy to discharge."

    duration: int
    power: float
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class EVPowerScheduleType(Message):
    "*(2.1)* Schedule of EV energy offer."

    ev_power_schedule_entries: Annotated[list[EVPowerScheduleEntryType], Meta(min_length=1, max_length=1024)] = field(name="evPowerScheduleEntries")
    time_anchor: DateTime = field(name="timeAnchor")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class EVEnergyOfferType(Message):
    "*(2.1)* A schedule of the energy amount over time that EV is willing to discharge. A negative value indicates the willingness to discharge under specific conditions, a positive value indicates that the EV currently is not able to offer energy to discharge."

    ev_power_schedule: EVPowerScheduleType = field(name="evPowerSchedule")
    ev_absolute_price_schedule: EVAbsolutePriceScheduleType | UnsetType = field(default=UNSET, name="evAbsolutePriceSchedule")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class DCChargingParametersType(Message):
    "EV DC charging parameters for ISO 15118-2"

    ev_max_current: float = field(name="evMaxCurrent")
    ev_max_voltage: float = field(name="evMaxVoltage")
    ev_max_power: float | UnsetType = field(default=UNSET, name="evMaxPower")
    ev_energy_capacity: float | UnsetType = field(default=UNSET, name="evEnergyCapacity")
    energy_amount: float | UnsetType = field(default=UNSET, name="energyAmount")
    state_of_charge: Annotated[int, Meta(ge=0, le=100)] | UnsetType = field(default=UNSET, name="stateOfCharge")
    full_soc: Annotated[int, Meta(ge=0, le=100)] | UnsetType = field(default=UNSET, name="fullSoC")
    bulk_soc: Annotated[int, Meta(ge=0, le=100)] | UnsetType = field(default=UNSET, name="bulkSoC")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class V2XChargingParametersType(Message):
    "Charging parameters for ISO 15118-20, also supporting V2X charging/discharging.+ All values are greater or equal to zero, with the exception of EVMinEnergyRequest, EVMaxEnergyRequest, EVTargetEnergyRequest, EVMinV2XEnergyRequest and EVMaxV2XEnergyRequest."

    min_charge_power: float | UnsetType = field(default=UNSET, name="minChargePower")
    min_charge_power_l2: float | UnsetType = field(default=UNSET, name="minChargePower_L2")
    min_charge_power_l3: float | UnsetType = field(default=UNSET, name="minChargePower_L3")
    max_charge_power: float | UnsetType = field(default=UNSET, name="maxChargePower")
    max_charge_power_l2: float | UnsetType = field(default=UNSET, name="maxChargePower_L2")
    max_charge_power_l3: float | UnsetType = field(default=UNSET, name="maxChargePower_L3")
    min_discharge_power: float | UnsetType = field(default=UNSET, name="minDischargePower")
    min_discharge_power_l2: float | UnsetType = field(default=UNSET, name="minDischargePower_L2")
    min_discharge_power_l3: float | UnsetType = field(default=UNSET, name="minDischargePower_L3")
    max_discharge_power: float | UnsetType = field(default=UNSET, name="maxDischargePower")
    max_discharge_power_l2: float | UnsetType = field(default=UNSET, name="maxDischargePower_L2")
    max_discharge_power_l3: float | UnsetType = field(default=UNSET, name="maxDischargePower_L3")
    min_charge_current: float | UnsetType = field(default=UNSET, name="minChargeCurrent")
    max_charge_current: float | UnsetType = field(default=UNSET, name="maxChargeCurrent")
    min_discharge_current: float | UnsetType = field(default=UNSET, name="minDischargeCurrent")
    max_discharge_current: float | UnsetType = field(default=UNSET, name="maxDischargeCurrent")
    min_voltage: float | UnsetType = field(default=UNSET, name="minVoltage")
    max_voltage: float | UnsetType = field(default=UNSET, name="maxVoltage")
    ev_target_energy_request: float | UnsetType = field(default=UNSET, name="evTargetEnergyRequest")
    ev_min_energy_request: float | UnsetType = field(default=UNSET, name="evMinEnergyRequest")
    ev_max_energy_request: float | UnsetType = field(default=UNSET, name="evMaxEnergyRequest")
    ev_min_v2_x_energy_request: float | UnsetType = field(default=UNSET, name="evMinV2XEnergyRequest")
    ev_max_v2_x_energy_request: float | UnsetType = field(default=UNSET, name="evMaxV2XEnergyRequest")
    target_soc: Annotated[int, Meta(ge=0, le=100)] | UnsetType = field(default=UNSET, name="targetSoC")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


ControlModeEnumType = Literal["ScheduledControl", "DynamicControl"]


MobilityNeedsModeEnumType = Literal["EVCC", "EVCC_SECC"]


class ChargingNeedsType(Message):
    requested_energy_transfer: EnergyTransferModeEnumType = field(name="requestedEnergyTransfer")
    ac_charging_parameters: ACChargingParametersType | UnsetType = field(default=UNSET, name="acChargingParameters")
    der_charging_parameters: DERChargingParametersType | UnsetType = field(default=UNSET, name="derChargingParameters")
    ev_energy_offer: EVEnergyOfferType | UnsetType = field(default=UNSET, name="evEnergyOffer")
    dc_charging_parameters: DCChargingParametersType | UnsetType = field(default=UNSET, name="dcChargingParameters")
    v2x_charging_parameters: V2XChargingParametersType | UnsetType = field(default=UNSET, name="v2xChargingParameters")
    available_energy_transfer: Annotated[list[EnergyTransferModeEnumType], Meta(min_length=1)] | UnsetType = field(default=UNSET, name="availableEnergyTransfer")
    control_mode: ControlModeEnumType | UnsetType = field(default=UNSET, name="controlMode")
    mobility_needs_mode: MobilityNeedsModeEnumType | UnsetType = field(default=UNSET, name="mobilityNeedsMode")
    departure_time: DateTime | UnsetType = field(default=UNSET, name="departureTime")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class NotifyEVChargingNeedsRequest(Message):
    evse_id: Annotated[int, Meta(ge=1)] = field(name="evseId")
    charging_needs: ChargingNeedsType = field(name="chargingNeeds")
    max_schedule_tuples: Annotated[int, Meta(ge=0)] | UnsetType = field(default=UNSET, name="maxScheduleTuples")
    timestamp: DateTime | UnsetType = field(default=UNSET, name="timestamp")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


NotifyEVChargingNeedsStatusEnumType = Literal["Accepted", "Rejected", "Processing", "NoChargingProfile"]


class NotifyEVChargingNeedsResponse(Message):
    status: NotifyEVChargingNeedsStatusEnumType
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class NotifyEVChargingScheduleRequest(Message):
    time_base: DateTime = field(name="timeBase")
    charging_schedule: ChargingScheduleType = field(name="chargingSchedule")
    evse_id: Annotated[int, Meta(ge=1)] = field(name="evseId")
    selected_charging_schedule_id: Annotated[int, Meta(ge=0)] | UnsetType = field(default=UNSET, name="selectedChargingScheduleId")
    power_tolerance_acceptance: bool | UnsetType = field(default=UNSET, name="powerToleranceAcceptance")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class NotifyEVChargingScheduleResponse(Message):
    status: GenericStatusEnumType
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


EventTriggerEnumType = Literal["Alerting", "Delta", "Periodic"]


EventNotificationEnumType = Literal["HardWiredNotification", "HardWiredMonitor", "PreconfiguredMonitor", "CustomMonitor"]


class EventDataType(Message):
    "Class to report an event notification for a component-variable."

    event_id: Annotated[int, Meta(ge=0)] = field(name="eventId")
    timestamp: DateTime
    trigger: EventTriggerEnumType
    actual_value: Annotated[str, Meta(max_length=2500)] = field(name="actualValue")
    component: ComponentType
    event_notification_type: EventNotificationEnumType = field(name="eventNotificationType")
    variable: VariableType
    cause: Annotated[int, Meta(ge=0)] | UnsetType = field(default=UNSET, name="cause")
    tech_code: Annotated[str, Meta(max_length=50)] | UnsetType = field(default=UNSET, name="techCode")
    tech_info: Annotated[str, Meta(max_length=500)] | UnsetType = field(default=UNSET, name="techInfo")
    cleared: bool | UnsetType = field(default=UNSET, name="cleared")
    transaction_id: Annotated[str, Meta(max_length=36)] | UnsetType = field(default=UNSET, name="transactionId")
    variable_monitoring_id: Annotated[int, Meta(ge=0)] | UnsetType = field(default=UNSET, name="variableMonitoringId")
    severity: Annotated[int, Meta(ge=0)] | UnsetType = field(default=UNSET, name="severity")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class NotifyEventRequest(Message):
    generated_at: DateTime = field(name="generatedAt")
    seq_no: Annotated[int, Meta(ge=0)] = field(name="seqNo")
    event_data: Annotated[list[EventDataType], Meta(min_length=1)] = field(name="eventData")
    tbc: bool | UnsetType = field(default=UNSET, name="tbc")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class NotifyEventResponse(Message):
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


MonitorEnumType = Literal["UpperThreshold", "LowerThreshold", "Delta", "Periodic", "PeriodicClockAligned", "TargetDelta", "TargetDeltaRelative"]


class VariableMonitoringType(Message):
    "A monitoring setting for a variable."

    id: Annotated[int, Meta(ge=0)]
    transaction: bool
    value: float
    type: MonitorEnumType
    severity: Annotated[int, Meta(ge=0)]
    event_notification_type: EventNotificationEnumType = field(name="eventNotificationType")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class MonitoringDataType(Message):
    "Class to hold parameters of SetVariableMonitoring request."

    component: ComponentType
    variable: VariableType
    variable_monitoring: Annotated[list[VariableMonitoringType], Meta(min_length=1)] = field(name="variableMonitoring")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class NotifyMonitoringReportRequest(Message):
    request_id: int = field(name="requestId")
    seq_no: Annotated[int, Meta(ge=0)] = field(name="seqNo")
    generated_at: DateTime = field(name="generatedAt")
    monitor: Annotated[list[MonitoringDataType], Meta(min_length=1)] | UnsetType = field(default=UNSET, name="monitor")
    tbc: bool | UnsetType = field(default=UNSET, name="tbc")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class NotifyMonitoringReportResponse(Message):
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class StreamDataElementType(Message):
    t: float
    v: Annotated[str, Meta(max_length=2500)]
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class NotifyPeriodicEventStreamRequest(Message):
    data: Annotated[list[StreamDataElementType], Meta(min_length=1)]
    id: Annotated[int, Meta(ge=0)]
    pending: Annotated[int, Meta(ge=0)]
    basetime: DateTime
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class NotifyPriorityChargingRequest(Message):
    transaction_id: Annotated[str, Meta(max_length=36)] = field(name="transactionId")
    activated: bool
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class NotifyPriorityChargingResponse(Message):
    "This response message has an empty body."

    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


MutabilityEnumType = Literal["ReadOnly", "WriteOnly", "ReadWrite"]


class VariableAttributeType(Message):
    "Attribute data of a variable."

    type: AttributeEnumType | UnsetType = field(default=UNSET, name="type")
    value: Annotated[str, Meta(max_length=2500)] | UnsetType = field(default=UNSET, name="value")
    mutability: MutabilityEnumType | UnsetType = field(default=UNSET, name="mutability")
    persistent: bool | UnsetType = field(default=UNSET, name="persistent")
    constant: bool | UnsetType = field(default=UNSET, name="constant")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


DataEnumType = Literal["string", "decimal", "integer", "dateTime", "boolean", "OptionList", "SequenceList", "MemberList"]


class VariableCharacteristicsType(Message):
    "Fixed read-only parameters of a variable."

    data_type: DataEnumType = field(name="dataType")
    supports_monitoring: bool = field(name="supportsMonitoring")
    unit: Annotated[str, Meta(max_length=16)] | UnsetType = field(default=UNSET, name="unit")
    min_limit: float | UnsetType = field(default=UNSET, name="minLimit")
    max_limit: float | UnsetType = field(default=UNSET, name="maxLimit")
    max_elements: Annotated[int, Meta(ge=1)] | UnsetType = field(default=UNSET, name="maxElements")
    values_list: Annotated[str, Meta(max_length=1000)] | UnsetType = field(default=UNSET, name="valuesList")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class ReportDataType(Message):
    "Class to report components, variables and variable attributes and characteristics."

    component: ComponentType
    variable: VariableType
    variable_attribute: Annotated[list[VariableAttributeType], Meta(min_length=1, max_length=4)] = field(name="variableAttribute")
    variable_characteristics: VariableCharacteristicsType | UnsetType = field(default=UNSET, name="variableCharacteristics")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class NotifyReportRequest(Message):
    request_id: int = field(name="requestId")
    generated_at: DateTime = field(name="generatedAt")
    seq_no: Annotated[int, Meta(ge=0)] = field(name="seqNo")
    report_data: Annotated[list[ReportDataType], Meta(min_length=1)] | UnsetType = field(default=UNSET, name="reportData")
    tbc: bool | UnsetType = field(default=UNSET, name="tbc")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class NotifyReportResponse(Message):
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


PaymentStatusEnumType = Literal["Settled", "Canceled", "Rejected", "Failed"]


class AddressType(Message):
    "*(2.1)* A generic address format."

    name: Annotated[str, Meta(max_length=50)]
    address1: Annotated[str, Meta(max_length=100)]
    city: Annotated[str, Meta(max_length=100)]
    country: Annotated[str, Meta(max_length=50)]
    address2: Annotated[str, Meta(max_length=100)] | UnsetType = field(default=UNSET, name="address2")
    postal_code: Annotated[str, Meta(max_length=20)] | UnsetType = field(default=UNSET, name="postalCode")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class NotifySettlementRequest(Message):
    psp_ref: Annotated[str, Meta(max_length=255)] = field(name="pspRef")
    status: PaymentStatusEnumType
    settlement_amount: float = field(name="settlementAmount")
    settlement_time: DateTime = field(name="settlementTime")
    transaction_id: Annotated[str, Meta(max_length=36)] | UnsetType = field(default=UNSET, name="transactionId")
    status_info: Annotated[str, Meta(max_length=500)] | UnsetType = field(default=UNSET, name="statusInfo")
    receipt_id: Annotated[str, Meta(max_length=50)] | UnsetType = field(default=UNSET, name="receiptId")
    receipt_url: Annotated[str, Meta(max_length=2000)] | UnsetType = field(default=UNSET, name="receiptUrl")
    vat_company: AddressType | UnsetType = field(default=UNSET, name="vatCompany")
    vat_number: Annotated[str, Meta(max_length=20)] | UnsetType = field(default=UNSET, name="vatNumber")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class NotifySettlementResponse(Message):
    receipt_url: Annotated[str, Meta(max_length=2000)] | UnsetType = field(default=UNSET, name="receiptUrl")
    receipt_id: Annotated[str, Meta(max_length=50)] | UnsetType = field(default=UNSET, name="receiptId")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class NotifyWebPaymentStartedRequest(Message):
    evse_id: Annotated[int, Meta(ge=0)] = field(name="evseId")
    timeout: int
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class NotifyWebPaymentStartedResponse(Message):
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class OpenPeriodicEventStreamRequest(Message):
    constant_stream_data: ConstantStreamDataType = field(name="constantStreamData")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class OpenPeriodicEventStreamResponse(Message):
    status: GenericStatusEnumType
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class PublishFirmwareRequest(Message):
    location: Annotated[str, Meta(max_length=2000)]
    checksum: Annotated[str, Meta(max_length=32)]
    request_id: Annotated[int, Meta(ge=0)] = field(name="requestId")
    retries: Annotated[int, Meta(ge=0)] | UnsetType = field(default=UNSET, name="retries")
    retry_interval: Annotated[int, Meta(ge=0)] | UnsetType = field(default=UNSET, name="retryInterval")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class PublishFirmwareResponse(Message):
    status: GenericStatusEnumType
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


PublishFirmwareStatusEnumType = Literal["Idle", "DownloadScheduled", "Downloading", "Downloaded", "Published", "DownloadFailed", "DownloadPaused", "InvalidChecksum", "ChecksumVerified", "PublishFailed"]


class PublishFirmwareStatusNotificationRequest(Message):
    status: PublishFirmwareStatusEnumType
    location: Annotated[list[Annotated[str, Meta(max_length=2000)]], Meta(min_length=1)] | UnsetType = field(default=UNSET, name="location")
    request_id: Annotated[int, Meta(ge=0)] | UnsetType = field(default=UNSET, name="requestId")
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class PublishFirmwareStatusNotificationResponse(Message):
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class PullDynamicScheduleUpdateRequest(Message):
    charging_profile_id: int = field(name="chargingProfileId")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class ChargingScheduleUpdateType(Message):
    "Updates to a ChargingSchedulePeriodType for dynamic charging profiles."

    limit: float | UnsetType = field(default=UNSET, name="limit")
    limit_l2: float | UnsetType = field(default=UNSET, name="limit_L2")
    limit_l3: float | UnsetType = field(default=UNSET, name="limit_L3")
    discharge_limit: Annotated[float, Meta(le=0.0)] | UnsetType = field(default=UNSET, name="dischargeLimit")
    discharge_limit_l2: Annotated[float, Meta(le=0.0)] | UnsetType = field(default=UNSET, name="dischargeLimit_L2")
    discharge_limit_l3: Annotated[float, Meta(le=0.0)] | UnsetType = field(default=UNSET, name="dischargeLimit_L3")
    setpoint: float | UnsetType = field(default=UNSET, name="setpoint")
    setpoint_l2: float | UnsetType = field(default=UNSET, name="setpoint_L2")
    setpoint_l3: float | UnsetType = field(default=UNSET, name="setpoint_L3")
    setpoint_reactive: float | UnsetType = field(default=UNSET, name="setpointReactive")
    setpoint_reactive_l2: float | UnsetType = field(default=UNSET, name="setpointReactive_L2")
    setpoint_reactive_l3: float | UnsetType = field(default=UNSET, name="setpointReactive_L3")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


ChargingProfileStatusEnumType = Literal["Accepted", "Rejected"]


class PullDynamicScheduleUpdateResponse(Message):
    status: ChargingProfileStatusEnumType
    schedule_update: ChargingScheduleUpdateType | UnsetType = field(default=UNSET, name="scheduleUpdate")
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


ChargingProfileKindEnumType = Literal["Absolute", "Recurring", "Relative", "Dynamic"]


RecurrencyKindEnumType = Literal["Daily", "Weekly"]


class ChargingProfileType(Message):
    "A ChargingProfile consists of 1 to 3 ChargingSchedules with a list of ChargingSchedulePeriods, describing the amount of power or current that can be delivered per time interval.  image::images/ChargingProfile-Simple.png[]"

    id: int
    stack_level: Annotated[int, Meta(ge=0)] = field(name="stackLevel")
    charging_profile_purpose: ChargingProfilePurposeEnumType = field(name="chargingProfilePurpose")
    charging_profile_kind: ChargingProfileKindEnumType = field(name="chargingProfileKind")
    charging_schedule: Annotated[list[ChargingScheduleType], Meta(min_length=1, max_length=3)] = field(name="chargingSchedule")
    recurrency_kind: RecurrencyKindEnumType | UnsetType = field(default=UNSET, name="recurrencyKind")
    valid_from: DateTime | UnsetType = field(default=UNSET, name="validFrom")
    valid_to: DateTime | UnsetType = field(default=UNSET, name="validTo")
    transaction_id: Annotated[str, Meta(max_length=36)] | UnsetType = field(default=UNSET, name="transactionId")
    max_offline_duration: int | UnsetType = field(default=UNSET, name="maxOfflineDuration")
    invalid_after_offline_duration: bool | UnsetType = field(default=UNSET, name="invalidAfterOfflineDuration")
    dyn_update_interval: int | UnsetType = field(default=UNSET, name="dynUpdateInterval")
    dyn_update_time: DateTime | UnsetType = field(default=UNSET, name="dynUpdateTime")
    price_schedule_signature: Annotated[str, Meta(max_length=256)] | UnsetType = field(default=UNSET, name="priceScheduleSignature")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class ReportChargingProfilesRequest(Message):
    request_id: int = field(name="requestId")
    charging_limit_source: Annotated[str, Meta(max_length=20)] = field(name="chargingLimitSource")
    charging_profile: Annotated[list[ChargingProfileType], Meta(min_length=1)] = field(name="chargingProfile")
    evse_id: Annotated[int, Meta(ge=0)] = field(name="evseId")
    tbc: bool | UnsetType = field(default=UNSET, name="tbc")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class ReportChargingProfilesResponse(Message):
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class DERCurvePointsType(Message):
    x: float
    y: float
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class HysteresisType(Message):
    hysteresis_high: float | UnsetType = field(default=UNSET, name="hysteresisHigh")
    hysteresis_low: float | UnsetType = field(default=UNSET, name="hysteresisLow")
    hysteresis_delay: float | UnsetType = field(default=UNSET, name="hysteresisDelay")
    hysteresis_gradient: float | UnsetType = field(default=UNSET, name="hysteresisGradient")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class ReactivePowerParamsType(Message):
    v_ref: float | UnsetType = field(default=UNSET, name="vRef")
    autonomous_v_ref_enable: bool | UnsetType = field(default=UNSET, name="autonomousVRefEnable")
    autonomous_v_ref_time_constant: float | UnsetType = field(default=UNSET, name="autonomousVRefTimeConstant")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


PowerDuringCessationEnumType = Literal["Active", "Reactive"]


class VoltageParamsType(Message):
    hv10_min_mean_value: float | UnsetType = field(default=UNSET, name="hv10MinMeanValue")
    hv10_min_mean_trip_delay: float | UnsetType = field(default=UNSET, name="hv10MinMeanTripDelay")
    power_during_cessation: PowerDuringCessationEnumType | UnsetType = field(default=UNSET, name="powerDuringCessation")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


DERUnitEnumType = Literal["Not_Applicable", "PctMaxW", "PctMaxVar", "PctWAvail", "PctVarAvail", "PctEffectiveV"]


class DERCurveType(Message):
    curve_data: Annotated[list[DERCurvePointsType], Meta(min_length=1, max_length=10)] = field(name="curveData")
    priority: Annotated[int, Meta(ge=0)]
    y_unit: DERUnitEnumType = field(name="yUnit")
    hysteresis: HysteresisType | UnsetType = field(default=UNSET, name="hysteresis")
    reactive_power_params: ReactivePowerParamsType | UnsetType = field(default=UNSET, name="reactivePowerParams")
    voltage_params: VoltageParamsType | UnsetType = field(default=UNSET, name="voltageParams")
    response_time: float | UnsetType = field(default=UNSET, name="responseTime")
    start_time: DateTime | UnsetType = field(default=UNSET, name="startTime")
    duration: float | UnsetType = field(default=UNSET, name="duration")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class DERCurveGetType(Message):
    curve: DERCurveType
    id: Annotated[str, Meta(max_length=36)]
    curve_type: DERControlEnumType = field(name="curveType")
    is_default: bool = field(name="isDefault")
    is_superseded: bool = field(name="isSuperseded")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class EnterServiceType(Message):
    priority: Annotated[int, Meta(ge=0)]
    high_voltage: float = field(name="highVoltage")
    low_voltage: float = field(name="lowVoltage")
    high_freq: float = field(name="highFreq")
    low_freq: float = field(name="lowFreq")
    delay: float | UnsetType = field(default=UNSET, name="delay")
    random_delay: float | UnsetType = field(default=UNSET, name="randomDelay")
    ramp_rate: float | UnsetType = field(default=UNSET, name="rampRate")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class EnterServiceGetType(Message):
    enter_service: EnterServiceType = field(name="enterService")
    id: Annotated[str, Meta(max_length=36)]
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class FixedPFType(Message):
    priority: Annotated[int, Meta(ge=0)]
    displacement: float
    excitation: bool
    start_time: DateTime | UnsetType = field(default=UNSET, name="startTime")
    duration: float | UnsetType = field(default=UNSET, name="duration")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class FixedPFGetType(Message):
    fixed_pf: FixedPFType = field(name="fixedPF")
    id: Annotated[str, Meta(max_length=36)]
    is_default: bool = field(name="isDefault")
    is_superseded: bool = field(name="isSuperseded")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class FixedVarType(Message):
    priority: Annotated[int, Meta(ge=0)]
    setpoint: float
    unit: DERUnitEnumType
    start_time: DateTime | UnsetType = field(default=UNSET, name="startTime")
    duration: float | UnsetType = field(default=UNSET, name="duration")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class FixedVarGetType(Message):
    fixed_var: FixedVarType = field(name="fixedVar")
    id: Annotated[str, Meta(max_length=36)]
    is_default: bool = field(name="isDefault")
    is_superseded: bool = field(name="isSuperseded")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class FreqDroopType(Message):
    priority: Annotated[int, Meta(ge=0)]
    over_freq: float = field(name="overFreq")
    under_freq: float = field(name="underFreq")
    over_droop: float = field(name="overDroop")
    under_droop: float = field(name="underDroop")
    response_time: float = field(name="responseTime")
    start_time: DateTime | UnsetType = field(default=UNSET, name="startTime")
    duration: float | UnsetType = field(default=UNSET, name="duration")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class FreqDroopGetType(Message):
    freq_droop: FreqDroopType = field(name="freqDroop")
    id: Annotated[str, Meta(max_length=36)]
    is_default: bool = field(name="isDefault")
    is_superseded: bool = field(name="isSuperseded")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class GradientType(Message):
    priority: Annotated[int, Meta(ge=0)]
    gradient: float
    soft_gradient: float = field(name="softGradient")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class GradientGetType(Message):
    gradient: GradientType
    id: Annotated[str, Meta(max_length=36)]
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class LimitMaxDischargeType(Message):
    priority: Annotated[int, Meta(ge=0)]
    pct_max_discharge_power: float | UnsetType = field(default=UNSET, name="pctMaxDischargePower")
    power_monitoring_must_trip: DERCurveType | UnsetType = field(default=UNSET, name="powerMonitoringMustTrip")
    start_time: DateTime | UnsetType = field(default=UNSET, name="startTime")
    duration: float | UnsetType = field(default=UNSET, name="duration")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class LimitMaxDischargeGetType(Message):
    id: Annotated[str, Meta(max_length=36)]
    is_default: bool = field(name="isDefault")
    is_superseded: bool = field(name="isSuperseded")
    limit_max_discharge: LimitMaxDischargeType = field(name="limitMaxDischarge")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class ReportDERControlRequest(Message):
    request_id: int = field(name="requestId")
    curve: Annotated[list[DERCurveGetType], Meta(min_length=1, max_length=24)] | UnsetType = field(default=UNSET, name="curve")
    enter_service: Annotated[list[EnterServiceGetType], Meta(min_length=1, max_length=24)] | UnsetType = field(default=UNSET, name="enterService")
    fixed_pf_absorb: Annotated[list[FixedPFGetType], Meta(min_length=1, max_length=24)] | UnsetType = field(default=UNSET, name="fixedPFAbsorb")
    fixed_pf_inject: Annotated[list[FixedPFGetType], Meta(min_length=1, max_length=24)] | UnsetType = field(default=UNSET, name="fixedPFInject")
    fixed_var: Annotated[list[FixedVarGetType], Meta(min_length=1, max_length=24)] | UnsetType = field(default=UNSET, name="fixedVar")
    freq_droop: Annotated[list[FreqDroopGetType], Meta(min_length=1, max_length=24)] | UnsetType = field(default=UNSET, name="freqDroop")
    gradient: Annotated[list[GradientGetType], Meta(min_length=1, max_length=24)] | UnsetType = field(default=UNSET, name="gradient")
    limit_max_discharge: Annotated[list[LimitMaxDischargeGetType], Meta(min_length=1, max_length=24)] | UnsetType = field(default=UNSET, name="limitMaxDischarge")
    tbc: bool | UnsetType = field(default=UNSET, name="tbc")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class ReportDERControlResponse(Message):
    "This message has no parameters."

    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class RequestBatterySwapRequest(Message):
    id_token: IdTokenType = field(name="idToken")
    request_id: int = field(name="requestId")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class RequestBatterySwapResponse(Message):
    status: GenericStatusEnumType
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class RequestStartTransactionRequest(Message):
    id_token: IdTokenType = field(name="idToken")
    remote_start_id: int = field(name="remoteStartId")
    evse_id: Annotated[int, Meta(ge=1)] | UnsetType = field(default=UNSET, name="evseId")
    group_id_token: IdTokenType | UnsetType = field(default=UNSET, name="groupIdToken")
    charging_profile: ChargingProfileType | UnsetType = field(default=UNSET, name="chargingProfile")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


RequestStartStopStatusEnumType = Literal["Accepted", "Rejected"]


class RequestStartTransactionResponse(Message):
    status: RequestStartStopStatusEnumType
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")
    transaction_id: Annotated[str, Meta(max_length=36)] | UnsetType = field(default=UNSET, name="transactionId")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class RequestStopTransactionRequest(Message):
    transaction_id: Annotated[str, Meta(max_length=36)] = field(name="transactionId")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class RequestStopTransactionResponse(Message):
    status: RequestStartStopStatusEnumType
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


ReservationUpdateStatusEnumType = Literal["Expired", "Removed", "NoTransaction"]


class ReservationStatusUpdateRequest(Message):
    reservation_id: Annotated[int, Meta(ge=0)] = field(name="reservationId")
    reservation_update_status: ReservationUpdateStatusEnumType = field(name="reservationUpdateStatus")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class ReservationStatusUpdateResponse(Message):
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class ReserveNowRequest(Message):
    id: Annotated[int, Meta(ge=0)]
    expiry_date_time: DateTime = field(name="expiryDateTime")
    id_token: IdTokenType = field(name="idToken")
    connector_type: Annotated[str, Meta(max_length=20)] | UnsetType = field(default=UNSET, name="connectorType")
    evse_id: Annotated[int, Meta(ge=0)] | UnsetType = field(default=UNSET, name="evseId")
    group_id_token: IdTokenType | UnsetType = field(default=UNSET, name="groupIdToken")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


ReserveNowStatusEnumType = Literal["Accepted", "Faulted", "Occupied", "Rejected", "Unavailable"]


class ReserveNowResponse(Message):
    status: ReserveNowStatusEnumType
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


ResetEnumType = Literal["Immediate", "OnIdle", "ImmediateAndResume"]


class ResetRequest(Message):
    type: ResetEnumType
    evse_id: Annotated[int, Meta(ge=0)] | UnsetType = field(default=UNSET, name="evseId")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


ResetStatusEnumType = Literal["Accepted", "Rejected", "Scheduled"]


class ResetResponse(Message):
    status: ResetStatusEnumType
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class SecurityEventNotificationRequest(Message):
    type: Annotated[str, Meta(max_length=50)]
    timestamp: DateTime
    tech_info: Annotated[str, Meta(max_length=255)] | UnsetType = field(default=UNSET, name="techInfo")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class SecurityEventNotificationResponse(Message):
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class AuthorizationData(Message):
    "Contains the identifier to use for authorization."

    id_token: IdTokenType = field(name="idToken")
    id_token_info: IdTokenInfoType | UnsetType = field(default=UNSET, name="idTokenInfo")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


UpdateEnumType = Literal["Differential", "Full"]


class SendLocalListRequest(Message):
    version_number: int = field(name="versionNumber")
    update_type: UpdateEnumType = field(name="updateType")
    local_authorization_list: Annotated[list[AuthorizationData], Meta(min_length=1)] | UnsetType = field(default=UNSET, name="localAuthorizationList")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


SendLocalListStatusEnumType = Literal["Accepted", "Failed", "VersionMismatch"]


class SendLocalListResponse(Message):
    status: SendLocalListStatusEnumType
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class SetChargingProfileRequest(Message):
    evse_id: Annotated[int, Meta(ge=0)] = field(name="evseId")
    charging_profile: ChargingProfileType = field(name="chargingProfile")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class SetChargingProfileResponse(Message):
    status: ChargingProfileStatusEnumType
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class SetDERControlRequest(Message):
    is_default: bool = field(name="isDefault")
    control_id: Annotated[str, Meta(max_length=36)] = field(name="controlId")
    control_type: DERControlEnumType = field(name="controlType")
    curve: DERCurveType | UnsetType = field(default=UNSET, name="curve")
    enter_service: EnterServiceType | UnsetType = field(default=UNSET, name="enterService")
    fixed_pf_absorb: FixedPFType | UnsetType = field(default=UNSET, name="fixedPFAbsorb")
    fixed_pf_inject: FixedPFType | UnsetType = field(default=UNSET, name="fixedPFInject")
    fixed_var: FixedVarType | UnsetType = field(default=UNSET, name="fixedVar")
    freq_droop: FreqDroopType | UnsetType = field(default=UNSET, name="freqDroop")
    gradient: GradientType | UnsetType = field(default=UNSET, name="gradient")
    limit_max_discharge: LimitMaxDischargeType | UnsetType = field(default=UNSET, name="limitMaxDischarge")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class SetDERControlResponse(Message):
    status: DERControlStatusEnumType
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")
    superseded_ids: Annotated[list[Annotated[str, Meta(max_length=36)]], Meta(min_length=1, max_length=24)] | UnsetType = field(default=UNSET, name="supersededIds")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class SetDefaultTariffRequest(Message):
    evse_id: Annotated[int, Meta(ge=0)] = field(name="evseId")
    tariff: TariffType
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


TariffSetStatusEnumType = Literal["Accepted", "Rejected", "TooManyElements", "ConditionNotSupported", "DuplicateTariffId"]


class SetDefaultTariffResponse(Message):
    status: TariffSetStatusEnumType
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class SetDisplayMessageRequest(Message):
    message: MessageInfoType
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


DisplayMessageStatusEnumType = Literal["Accepted", "NotSupportedMessageFormat", "Rejected", "NotSupportedPriority", "NotSupportedState", "UnknownTransaction", "LanguageNotSupported"]


class SetDisplayMessageResponse(Message):
    status: DisplayMessageStatusEnumType
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


MonitoringBaseEnumType = Literal["All", "FactoryDefault", "HardWiredOnly"]


class SetMonitoringBaseRequest(Message):
    monitoring_base: MonitoringBaseEnumType = field(name="monitoringBase")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class SetMonitoringBaseResponse(Message):
    status: GenericDeviceModelStatusEnumType
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class SetMonitoringLevelRequest(Message):
    severity: Annotated[int, Meta(ge=0)]
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class SetMonitoringLevelResponse(Message):
    status: GenericStatusEnumType
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


APNAuthenticationEnumType = Literal["PAP", "CHAP", "NONE", "AUTO"]


class APNType(Message):
    "Collection of configuration data needed to make a data-connection over a cellular network.  NOTE: When asking a GSM modem to dial in, it is possible to specify which mobile operator should be used. This can be done with the mobile country code (MCC) in combination with a mobile network code (MNC). E"

    apn: Annotated[str, Meta(max_length=2000)]
    apn_authentication: APNAuthenticationEnumType = field(name="apnAuthentication")
    apn_user_name: Annotated[str, Meta(max_length=50)] | UnsetType = field(default=UNSET, name="apnUserName")
    apn_password: Annotated[str, Meta(max_length=64)] | UnsetType = field(default=UNSET, name="apnPassword")
    sim_pin: int | UnsetType = field(default=UNSET, name="simPin")
    preferred_network: Annotated[str, Meta(max_length=6)] | UnsetType = field(default=UNSET, name="preferredNetwork")
    use_only_preferred_network: bool | UnsetType = field(default=UNSET, name="useOnlyPreferredNetwork")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


OCPPVersionEnumType = Literal["OCPP12", "OCPP15", "OCPP16", "OCPP20", "OCPP201", "OCPP21"]


OCPPInterfaceEnumType = Literal["Wired0", "Wired1", "Wired2", "Wired3", "Wireless0", "Wireless1", "Wireless2", "Wireless3", "Any"]


OCPPTransportEnumType = Literal["SOAP", "JSON"]


VPNEnumType = Literal["IKEv2", "IPSec", "L2TP", "PPTP"]


class VPNType(Message):
    "VPN Configuration settings"

    server: Annotated[str, Meta(max_length=2000)]
    user: Annotated[str, Meta(max_length=50)]
    password: Annotated[str, Meta(max_length=64)]
    key: Annotated[str, Meta(max_length=255)]
    type: VPNEnumType
    group: Annotated[str, Meta(max_length=50)] | UnsetType = field(default=UNSET, name="group")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class NetworkConnectionProfileType(Message):
    "The NetworkConnectionProfile defines the functional and technical parameters of a communication link."

    ocpp_interface: OCPPInterfaceEnumType = field(name="ocppInterface")
    ocpp_transport: OCPPTransportEnumType = field(name="ocppTransport")
    message_timeout: int = field(name="messageTimeout")
    ocpp_csms_url: Annotated[str, Meta(max_length=2000)] = field(name="ocppCsmsUrl")
    security_profile: Annotated[int, Meta(ge=0)] = field(name="securityProfile")
    apn: APNType | UnsetType = field(default=UNSET, name="apn")
    ocpp_version: OCPPVersionEnumType | UnsetType = field(default=UNSET, name="ocppVersion")
    identity: Annotated[str, Meta(max_length=48)] | UnsetType = field(default=UNSET, name="identity")
    basic_auth_password: Annotated[str, Meta(max_length=64)] | UnsetType = field(default=UNSET, name="basicAuthPassword")
    vpn: VPNType | UnsetType = field(default=UNSET, name="vpn")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class SetNetworkProfileRequest(Message):
    configuration_slot: int = field(name="configurationSlot")
    connection_data: NetworkConnectionProfileType = field(name="connectionData")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


SetNetworkProfileStatusEnumType = Literal["Accepted", "Rejected", "Failed"]


class SetNetworkProfileResponse(Message):
    status: SetNetworkProfileStatusEnumType
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class SetMonitoringDataType(Message):
    "Class to hold parameters of SetVariableMonitoring request."

    value: float
    type: MonitorEnumType
    severity: Annotated[int, Meta(ge=0)]
    component: ComponentType
    variable: VariableType
    id: Annotated[int, Meta(ge=0)] | UnsetType = field(default=UNSET, name="id")
    periodic_event_stream: PeriodicEventStreamParamsType | UnsetType = field(default=UNSET, name="periodicEventStream")
    transaction: bool | UnsetType = field(default=UNSET, name="transaction")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


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
    severity: Annotated[int, Meta(ge=0)]
    id: Annotated[int, Meta(ge=0)] | UnsetType = field(default=UNSET, name="id")
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class SetVariableMonitoringResponse(Message):
    set_monitoring_result: Annotated[list[SetMonitoringResultType], Meta(min_length=1)] = field(name="setMonitoringResult")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class SetVariableDataType(Message):
    attribute_value: Annotated[str, Meta(max_length=2500)] = field(name="attributeValue")
    component: ComponentType
    variable: VariableType
    attribute_type: AttributeEnumType | UnsetType = field(default=UNSET, name="attributeType")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class SetVariablesRequest(Message):
    set_variable_data: Annotated[list[SetVariableDataType], Meta(min_length=1)] = field(name="setVariableData")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


SetVariableStatusEnumType = Literal["Accepted", "Rejected", "UnknownComponent", "UnknownVariable", "NotSupportedAttributeType", "RebootRequired"]


class SetVariableResultType(Message):
    attribute_status: SetVariableStatusEnumType = field(name="attributeStatus")
    component: ComponentType
    variable: VariableType
    attribute_type: AttributeEnumType | UnsetType = field(default=UNSET, name="attributeType")
    attribute_status_info: StatusInfoType | UnsetType = field(default=UNSET, name="attributeStatusInfo")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class SetVariablesResponse(Message):
    set_variable_result: Annotated[list[SetVariableResultType], Meta(min_length=1)] = field(name="setVariableResult")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class SignCertificateRequest(Message):
    csr: Annotated[str, Meta(max_length=5500)]
    certificate_type: CertificateSigningUseEnumType | UnsetType = field(default=UNSET, name="certificateType")
    hash_root_certificate: CertificateHashDataType | UnsetType = field(default=UNSET, name="hashRootCertificate")
    request_id: int | UnsetType = field(default=UNSET, name="requestId")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class SignCertificateResponse(Message):
    status: GenericStatusEnumType
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


ConnectorStatusEnumType = Literal["Available", "Occupied", "Reserved", "Unavailable", "Faulted"]


class StatusNotificationRequest(Message):
    timestamp: DateTime
    connector_status: ConnectorStatusEnumType = field(name="connectorStatus")
    evse_id: Annotated[int, Meta(ge=0)] = field(name="evseId")
    connector_id: Annotated[int, Meta(ge=0)] = field(name="connectorId")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class StatusNotificationResponse(Message):
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


CostDimensionEnumType = Literal["Energy", "MaxCurrent", "MinCurrent", "MaxPower", "MinPower", "IdleTIme", "ChargingTime"]


class CostDimensionType(Message):
    "Volume consumed of cost dimension."

    type: CostDimensionEnumType
    volume: float
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class ChargingPeriodType(Message):
    "A ChargingPeriodType consists of a start time, and a list of possible values that influence this period, for example: amount of energy charged this period, maximum current during this period etc."

    start_period: DateTime = field(name="startPeriod")
    dimensions: Annotated[list[CostDimensionType], Meta(min_length=1)] | UnsetType = field(default=UNSET, name="dimensions")
    tariff_id: Annotated[str, Meta(max_length=60)] | UnsetType = field(default=UNSET, name="tariffId")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


TariffCostEnumType = Literal["NormalCost", "MinCost", "MaxCost"]


class TotalPriceType(Message):
    "Total cost with and without tax. Contains the total of energy, charging time, idle time, fixed and reservation costs including and/or excluding tax."

    excl_tax: float | UnsetType = field(default=UNSET, name="exclTax")
    incl_tax: float | UnsetType = field(default=UNSET, name="inclTax")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class TotalCostType(Message):
    "This contains the cost calculated during a transaction. It is used both for running cost and final cost of the transaction."

    currency: Annotated[str, Meta(max_length=3)]
    type_of_cost: TariffCostEnumType = field(name="typeOfCost")
    total: TotalPriceType
    fixed: PriceType | UnsetType = field(default=UNSET, name="fixed")
    energy: PriceType | UnsetType = field(default=UNSET, name="energy")
    charging_time: PriceType | UnsetType = field(default=UNSET, name="chargingTime")
    idle_time: PriceType | UnsetType = field(default=UNSET, name="idleTime")
    reservation_time: PriceType | UnsetType = field(default=UNSET, name="reservationTime")
    reservation_fixed: PriceType | UnsetType = field(default=UNSET, name="reservationFixed")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class TotalUsageType(Message):
    "This contains the calculated usage of energy, charging time and idle time during a transaction."

    energy: float
    charging_time: int = field(name="chargingTime")
    idle_time: int = field(name="idleTime")
    reservation_time: int | UnsetType = field(default=UNSET, name="reservationTime")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class CostDetailsType(Message):
    "CostDetailsType contains the cost as calculated by Charging Station based on provided TariffType.  NOTE: Reservation is not shown as a _chargingPeriod_, because it took place outside of the transaction."

    total_cost: TotalCostType = field(name="totalCost")
    total_usage: TotalUsageType = field(name="totalUsage")
    charging_periods: Annotated[list[ChargingPeriodType], Meta(min_length=1)] | UnsetType = field(default=UNSET, name="chargingPeriods")
    failure_to_calculate: bool | UnsetType = field(default=UNSET, name="failureToCalculate")
    failure_reason: Annotated[str, Meta(max_length=500)] | UnsetType = field(default=UNSET, name="failureReason")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


TransactionEventEnumType = Literal["Ended", "Started", "Updated"]


TriggerReasonEnumType = Literal["AbnormalCondition", "Authorized", "CablePluggedIn", "ChargingRateChanged", "ChargingStateChanged", "CostLimitReached", "Deauthorized", "EnergyLimitReached", "EVCommunicationLost", "EVConnectTimeout", "EVDeparted", "EVDetected", "LimitSet", "MeterValueClock", "MeterValuePeriodic", "OperationModeChanged", "RemoteStart", "RemoteStop", "ResetCommand", "RunningCost", "SignedDataReceived", "SoCLimitReached", "StopAuthorized", "TariffChanged", "TariffNotAccepted", "TimeLimitReached", "Trigger", "TxResumed", "UnlockCommand"]


PreconditioningStatusEnumType = Literal["Unknown", "Ready", "NotReady", "Preconditioning"]


ChargingStateEnumType = Literal["EVConnected", "Charging", "SuspendedEV", "SuspendedEVSE", "Idle"]


ReasonEnumType = Literal["DeAuthorized", "EmergencyStop", "EnergyLimitReached", "EVDisconnected", "GroundFault", "ImmediateReset", "MasterPass", "Local", "LocalOutOfCredit", "Other", "OvercurrentFault", "PowerLoss", "PowerQuality", "Reboot", "Remote", "SOCLimitReached", "StoppedByEV", "TimeLimitReached", "Timeout", "ReqEnergyTransferRejected"]


class TransactionLimitType(Message):
    "Cost, energy, time or SoC limit for a transaction."

    max_cost: float | UnsetType = field(default=UNSET, name="maxCost")
    max_energy: float | UnsetType = field(default=UNSET, name="maxEnergy")
    max_time: int | UnsetType = field(default=UNSET, name="maxTime")
    max_soc: Annotated[int, Meta(ge=0, le=100)] | UnsetType = field(default=UNSET, name="maxSoC")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class TransactionType(Message):
    transaction_id: Annotated[str, Meta(max_length=36)] = field(name="transactionId")
    charging_state: ChargingStateEnumType | UnsetType = field(default=UNSET, name="chargingState")
    time_spent_charging: int | UnsetType = field(default=UNSET, name="timeSpentCharging")
    stopped_reason: ReasonEnumType | UnsetType = field(default=UNSET, name="stoppedReason")
    remote_start_id: int | UnsetType = field(default=UNSET, name="remoteStartId")
    operation_mode: OperationModeEnumType | UnsetType = field(default=UNSET, name="operationMode")
    tariff_id: Annotated[str, Meta(max_length=60)] | UnsetType = field(default=UNSET, name="tariffId")
    transaction_limit: TransactionLimitType | UnsetType = field(default=UNSET, name="transactionLimit")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class TransactionEventRequest(Message):
    event_type: TransactionEventEnumType = field(name="eventType")
    timestamp: DateTime
    trigger_reason: TriggerReasonEnumType = field(name="triggerReason")
    seq_no: Annotated[int, Meta(ge=0)] = field(name="seqNo")
    transaction_info: TransactionType = field(name="transactionInfo")
    cost_details: CostDetailsType | UnsetType = field(default=UNSET, name="costDetails")
    meter_value: Annotated[list[MeterValueType], Meta(min_length=1)] | UnsetType = field(default=UNSET, name="meterValue")
    offline: bool | UnsetType = field(default=UNSET, name="offline")
    number_of_phases_used: Annotated[int, Meta(ge=0, le=3)] | UnsetType = field(default=UNSET, name="numberOfPhasesUsed")
    cable_max_current: int | UnsetType = field(default=UNSET, name="cableMaxCurrent")
    reservation_id: Annotated[int, Meta(ge=0)] | UnsetType = field(default=UNSET, name="reservationId")
    preconditioning_status: PreconditioningStatusEnumType | UnsetType = field(default=UNSET, name="preconditioningStatus")
    evse_sleep: bool | UnsetType = field(default=UNSET, name="evseSleep")
    evse: EVSEType | UnsetType = field(default=UNSET, name="evse")
    id_token: IdTokenType | UnsetType = field(default=UNSET, name="idToken")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class TransactionEventResponse(Message):
    total_cost: float | UnsetType = field(default=UNSET, name="totalCost")
    charging_priority: int | UnsetType = field(default=UNSET, name="chargingPriority")
    id_token_info: IdTokenInfoType | UnsetType = field(default=UNSET, name="idTokenInfo")
    transaction_limit: TransactionLimitType | UnsetType = field(default=UNSET, name="transactionLimit")
    updated_personal_message: MessageContentType | UnsetType = field(default=UNSET, name="updatedPersonalMessage")
    updated_personal_message_extra: Annotated[list[MessageContentType], Meta(min_length=1, max_length=4)] | UnsetType = field(default=UNSET, name="updatedPersonalMessageExtra")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


MessageTriggerEnumType = Literal["BootNotification", "LogStatusNotification", "FirmwareStatusNotification", "Heartbeat", "MeterValues", "SignChargingStationCertificate", "SignV2GCertificate", "SignV2G20Certificate", "StatusNotification", "TransactionEvent", "SignCombinedCertificate", "PublishFirmwareStatusNotification", "CustomTrigger"]


class TriggerMessageRequest(Message):
    requested_message: MessageTriggerEnumType = field(name="requestedMessage")
    evse: EVSEType | UnsetType = field(default=UNSET, name="evse")
    custom_trigger: Annotated[str, Meta(max_length=50)] | UnsetType = field(default=UNSET, name="customTrigger")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


TriggerMessageStatusEnumType = Literal["Accepted", "Rejected", "NotImplemented"]


class TriggerMessageResponse(Message):
    status: TriggerMessageStatusEnumType
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class UnlockConnectorRequest(Message):
    evse_id: Annotated[int, Meta(ge=0)] = field(name="evseId")
    connector_id: Annotated[int, Meta(ge=0)] = field(name="connectorId")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


UnlockStatusEnumType = Literal["Unlocked", "UnlockFailed", "OngoingAuthorizedTransaction", "UnknownConnector"]


class UnlockConnectorResponse(Message):
    status: UnlockStatusEnumType
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class UnpublishFirmwareRequest(Message):
    checksum: Annotated[str, Meta(max_length=32)]
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


UnpublishFirmwareStatusEnumType = Literal["DownloadOngoing", "NoFirmware", "Unpublished"]


class UnpublishFirmwareResponse(Message):
    status: UnpublishFirmwareStatusEnumType
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class UpdateDynamicScheduleRequest(Message):
    "Id of dynamic charging profile to update."

    charging_profile_id: int = field(name="chargingProfileId")
    schedule_update: ChargingScheduleUpdateType = field(name="scheduleUpdate")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class UpdateDynamicScheduleResponse(Message):
    status: ChargingProfileStatusEnumType
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class FirmwareType(Message):
    "Represents a copy of the firmware that can be loaded/updated on the Charging Station."

    location: Annotated[str, Meta(max_length=2000)]
    retrieve_date_time: DateTime = field(name="retrieveDateTime")
    install_date_time: DateTime | UnsetType = field(default=UNSET, name="installDateTime")
    signing_certificate: Annotated[str, Meta(max_length=5500)] | UnsetType = field(default=UNSET, name="signingCertificate")
    signature: Annotated[str, Meta(max_length=800)] | UnsetType = field(default=UNSET, name="signature")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class UpdateFirmwareRequest(Message):
    request_id: int = field(name="requestId")
    firmware: FirmwareType
    retries: Annotated[int, Meta(ge=0)] | UnsetType = field(default=UNSET, name="retries")
    retry_interval: int | UnsetType = field(default=UNSET, name="retryInterval")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


UpdateFirmwareStatusEnumType = Literal["Accepted", "Rejected", "AcceptedCanceled", "InvalidCertificate", "RevokedCertificate"]


class UpdateFirmwareResponse(Message):
    status: UpdateFirmwareStatusEnumType
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class UsePriorityChargingRequest(Message):
    transaction_id: Annotated[str, Meta(max_length=36)] = field(name="transactionId")
    activate: bool
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


PriorityChargingStatusEnumType = Literal["Accepted", "Rejected", "NoProfile"]


class UsePriorityChargingResponse(Message):
    status: PriorityChargingStatusEnumType
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class VatNumberValidationRequest(Message):
    vat_number: Annotated[str, Meta(max_length=20)] = field(name="vatNumber")
    evse_id: Annotated[int, Meta(ge=0)] | UnsetType = field(default=UNSET, name="evseId")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")


class VatNumberValidationResponse(Message):
    vat_number: Annotated[str, Meta(max_length=20)] = field(name="vatNumber")
    status: GenericStatusEnumType
    company: AddressType | UnsetType = field(default=UNSET, name="company")
    status_info: StatusInfoType | UnsetType = field(default=UNSET, name="statusInfo")
    evse_id: Annotated[int, Meta(ge=0)] | UnsetType = field(default=UNSET, name="evseId")
    custom_data: CustomDataType | UnsetType = field(default=UNSET, name="customData")
