// validate() against a connected pen: its session depth limit, its ranges and its modules.
#include "module_checks.hpp"
#include "penlink/pen.hpp"

namespace penlink::treatment {

ValidationReport validate(const Recipe& recipe, Pen& pen, const ValidationOptions& options) {
    const std::vector<Module> modules = pen.modules();
    return detail::validate_with(recipe, options, pen.depth_limit().in_mm(), &pen.capabilities(),
                                 &modules);
}

}  // namespace penlink::treatment
