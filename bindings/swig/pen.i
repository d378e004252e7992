/* Pen, Subscription, ConnectOptions, log and port listing from penlink_bind.hpp and the headers
 * it includes (penlink_bind_listeners.hpp, penlink_bind_connect_options.hpp,
 * penlink_bind_log.hpp), which replace penlink::Pen, penlink::Subscription and
 * penlink::ConnectOptions (not wrapped). SWIG does not follow #include, so each is %included
 * below, before the penlink_bind.hpp that uses them. */

/* Internal constructor: only Pen makes subscriptions. */
%ignore penlink::bind::Subscription::Subscription(std::shared_ptr<penlink::Pen>,
                                                 penlink::Subscription);
/* Describes an error for the language hooks; the hosts' exceptions carry the same data. */
%ignore penlink::bind::error_class_name;
%ignore penlink::bind::describe_error;


namespace penlink {
/// Lowest level the log listener (or stderr) receives.
void set_log_level(LogLevel min_level);
}

%include "penlink_completion.hpp"
%include "penlink_bind_listeners.hpp"
%include "penlink_bind_connect_options.hpp"
%include "penlink_bind_log.hpp"
%include "penlink_bind.hpp"
