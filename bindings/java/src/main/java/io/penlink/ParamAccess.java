package io.penlink;

/** Who may do what with a module parameter (in the order of the C++ values). */
public enum ParamAccess {
    /** Read only: setting it is refused. */
    READ,
    READ_WRITE
}
