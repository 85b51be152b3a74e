/// The handle a transaction body runs its statements through. It is valid only inside the body it
/// was passed to; using it afterwards throws ``SQLDatabaseError/Code/misuse``.
public protocol SQLTransaction: SQLExecutor {}
