/* Value types of penlink/types.hpp: plain structs, copied across the boundary. */

/* to_string is overloaded on enums, which several languages see as plain integers. */
%rename(pen_state_name) penlink::to_string(PenState);
%rename(connection_state_name) penlink::to_string(ConnectionState);
%rename(rf_polarity_name) penlink::to_string(RfPolarity);
%rename(log_level_name) penlink::to_string(LogLevel);
%rename(status_rate_limit_name) penlink::to_string(StatusRateLimit);

/* Languages add equality their own way (__eq__, equals, Equals). */
%ignore penlink::Depth::operator==;
%ignore penlink::Speed::operator==;

/* A std::array SWIG does not wrap; penlink::bind::status_telemetry reads it. */
%ignore penlink::Status::telemetry;

%include "penlink/types.hpp"

%template(LedChannelVector) std::vector<penlink::LedChannel>;
%template(SerialPortInfoVector) std::vector<penlink::SerialPortInfo>;
