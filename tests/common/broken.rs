//! Bad input, one defect at a time: a built copy of `basic` whose files are
//! then broken, and whose next build must fail without touching `public/`.

use super::{Run, Site, Tree, assert_same_tree};

/// A built good site, to break one file at a time.
pub struct Broken {
    /// The site.
    pub site: Site,
    /// Its output after the good build.
    pub before: Tree,
}

impl Broken {
    /// Copies `basic` and builds it, which must succeed.
    pub fn new() -> Broken {
        let site = Site::fixture("basic");
        site.build(&[]).success();
        let before = site.public().tree();
        assert!(before.files.contains_key("timeline.json"));
        Broken { site, before }
    }

    /// Writes a file of the site (adding or replacing it).
    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> &Broken {
        self.site.write(rel, bytes);
        self
    }

    /// Builds again: exit status 1, the previous output untouched, no
    /// staging folder left beside it.
    #[track_caller]
    pub fn fails(&self) -> Run {
        let run = self.site.build(&[]);
        run.exit(1);
        assert_same_tree(
            &self.before,
            &self.site.public().tree(),
            "public/ after a failed build",
        );
        let leftovers: Vec<String> = std::fs::read_dir(self.site.root())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with('.') && n.contains("public"))
            .collect();
        assert!(leftovers.is_empty(), "staging folders left: {leftovers:?}");
        run
    }

    /// Like [`Broken::fails`], for a single defect: exactly one error.
    #[track_caller]
    pub fn fails_once(&self) -> Run {
        let run = self.fails();
        assert_eq!(
            run.errors().len(),
            1,
            "one defect should give one error, got:\n{}",
            run.stderr
        );
        run
    }
}

/// Adds `rel` to a built good site and expects exactly one error at `line` containing `needles`.
pub fn one_error(rel: &str, text: impl AsRef<[u8]>, line: usize, needles: &[&str]) -> Run {
    let b = Broken::new();
    b.write(rel, text);
    let run = b.fails_once();
    run.error_at(rel, line, needles);
    run
}
