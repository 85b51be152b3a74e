/// The CNCF ModelPack media types (github.com/modelpack/model-spec, `specs-go/v1/mediatype.go`).
public enum ModelPackMediaType {
    /// The `artifactType` of a model manifest.
    public static let manifestArtifact = "application/vnd.cncf.model.manifest.v1+json"
    /// The config blob: architecture, format, parameter count, precision, ...
    public static let config = "application/vnd.cncf.model.config.v1+json"
    /// Weights, one file, neither archived nor compressed.
    public static let weightRaw = "application/vnd.cncf.model.weight.v1.raw"
    /// Files that configure the weights (`config.json`, `tokenizer.json`, ...), raw.
    public static let weightConfigRaw = "application/vnd.cncf.model.weight.config.v1.raw"
    /// Documentation (README, LICENSE), raw.
    public static let docRaw = "application/vnd.cncf.model.doc.v1.raw"
    /// Code (Python modules shipped with a model), raw.
    public static let codeRaw = "application/vnd.cncf.model.code.v1.raw"
    /// Any other file of a model directory, raw.
    public static let datasetRaw = "application/vnd.cncf.model.dataset.v1.raw"
    /// The annotation that names a layer's path inside the model directory.
    public static let filepathAnnotation = "org.cncf.model.filepath"
}
