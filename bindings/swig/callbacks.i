/* Listener classes the host language subclasses (SWIG directors). They run on the pen's
 * callback thread; the host wrapper must keep a listener referenced while subscribed.
 * Whatever a listener throws is caught in C++ and logged (penlink_bind.hpp). */

%feature("director") penlink::bind::StatusListener;
%feature("director") penlink::bind::EventListener;
%feature("director") penlink::bind::ConnectionListener;
%feature("director") penlink::bind::LogListener;
/* Told the outcome of one asynchronous command, then deleted by C++: the host gives up
 * ownership when it passes one in (see penlink_completion.hpp). */
%feature("director") penlink::bind::CompletionListener;
